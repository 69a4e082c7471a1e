import { KEY_LIMIT_FIELDS } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZKey } from "./shared.schema.ts";

export const ZKeyGetInput = z.strictObject({ keyId: ZId });

/** Where a limit in force comes from: the key's own, a product's key default, or its team's. */
export const ZKeyLimitSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("key") }),
  z.object({ kind: z.literal("product"), productName: z.string() }),
  /** `from`: what gives the team that limit ("product Pro", "the default entitlement"). */
  z.object({ kind: z.literal("team"), from: z.string() }),
]);

export const ZKeyDetail = ZKey.extend({
  /** Each limit the key runs under, null value and source: none. */
  limitsInForce: z.array(
    z.object({
      field: z.enum(KEY_LIMIT_FIELDS),
      value: z.union([z.number(), z.string(), z.array(z.string())]).nullable(),
      source: ZKeyLimitSource.nullable(),
    }),
  ),
  /** Spend in the current budget period against the budget in force (null: none / unread). */
  budget: z.object({
    maxBudgetUsd: z.number().nullable(),
    budgetDuration: z.string().nullable(),
    spendUsd: z.number().nullable(),
    spendAsOf: ZDateTime.nullable(),
    remainingUsd: z.number().nullable(),
  }),
  /** The longest a key of this team may live (from now), and what sets it; null: no cap. */
  maxLifetimeDays: z.number().int().nullable(),
  maxLifetimeFrom: z.string().nullable(),
});
export type TKeyDetail = z.infer<typeof ZKeyDetail>;
