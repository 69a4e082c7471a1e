/** Schemas shared by the keys procedures. */
import { KEY_BLOCK_REASONS, KEY_DEFAULT_FIELDS, type KeyBlockReason } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZBlockLevel } from "../teams/shared.schema.ts";

/** A key's manual block: who placed it (a person's or a token's name), why, at which level. */
export const ZKeyManualBlock = z.object({
  placedBy: z.string().nullable(),
  level: ZBlockLevel.nullable(),
  note: z.string().nullable(),
  since: ZDateTime,
});

/**
 * One of a key's secrets: the current one ("active"), or a previous one still working
 * until `retireAt` after a rotation ("retiring"; its proxy delete may be under way).
 */
export const ZKeySecret = z.object({
  keyPrefix: z.string(),
  state: z.enum(["active", "retiring"]),
  retireAt: ZDateTime.nullable(),
});

/** A key's own limits (null/[]: none of its own; the team's apply); `defaulted`: from a product. */
export const ZKeyOwnLimits = z.object({
  maxBudgetUsd: z.number().nullable(),
  budgetDuration: z.string().nullable(),
  rpmLimit: z.number().int().nullable(),
  tpmLimit: z.number().int().nullable(),
  models: z.array(z.string()),
  defaulted: z.array(z.enum(KEY_DEFAULT_FIELDS)),
});

export const ZKey = z.object({
  id: ZId,
  name: z.string(),
  teamId: ZId,
  teamName: z.string(),
  regionId: ZId,
  regionName: z.string(),
  keyPrefix: z.string(),
  createdAt: ZDateTime,
  creator: z.object({ id: ZId, email: z.string() }).nullable(),
  /** LiteLLM sync of the latest change to this key, if any is pending or failed. */
  sync: z
    .object({
      state: z.enum(["pending", "running", "done", "failed"]),
      lastError: z.string().nullable(),
    })
    .nullable(),
  /** The key's own block reasons (a blocked team is shown on the team). */
  blocked: z.boolean(),
  blockReasons: z.array(z.enum(KEY_BLOCK_REASONS)),
  manualBlock: ZKeyManualBlock.nullable(),
  /** There is a manual block and this caller may lift it (placed at their level or below). */
  canUnblock: z.boolean(),
  /** USD the key's proxy last reported (spend sync); null while never read, not 0. */
  spendUsd: z.number().nullable(),
  /** The current secret first, then any retiring after a rotation. */
  secrets: z.array(ZKeySecret),
  limits: ZKeyOwnLimits,
  /** When the key stops working (then blocked `key_expired`); null: never. */
  expiresAt: ZDateTime.nullable(),
});
export type KeyBlockReasonName = KeyBlockReason;
export const ZKeyBlockOutput = z.object({
  blocked: z.boolean(),
  blockReasons: z.array(z.enum(KEY_BLOCK_REASONS)),
  manualBlock: ZKeyManualBlock.nullable(),
  canUnblock: z.boolean(),
});
export type TKey = z.infer<typeof ZKey>;
export type TKeyBlockOutput = z.infer<typeof ZKeyBlockOutput>;
