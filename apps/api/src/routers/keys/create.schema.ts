import { ZKeyBudgetDuration, ZKeyName } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTimeInput, ZId } from "../shared.schema.ts";
import { ZKey } from "./shared.schema.ts";

/** expiresAt and lifetimeDays are exclusive: core resolveKeyExpiry refuses both (a field error). */
export const ZCreateKeyInput = z.strictObject({
  teamId: ZId,
  name: ZKeyName,
  regionId: ZId,
  // The key's own limits (issue 26); unset ones take the product's key defaults.
  maxBudgetUsd: z.number().min(0).max(1e9).nullable().optional(),
  budgetDuration: ZKeyBudgetDuration.nullable().optional(),
  rpmLimit: z.number().int().min(0).max(1e9).nullable().optional(),
  tpmLimit: z.number().int().min(0).max(1e12).nullable().optional(),
  models: z.array(z.string().trim().min(1).max(200)).max(500).optional(),
  expiresAt: ZDateTimeInput.optional(),
  lifetimeDays: z.number().int().min(1).max(36_500).optional(),
});
export const ZCreateKeyOutput = z.object({ key: ZKey, secret: z.string() });
