import { ZBlockLevel, ZProductAttachmentStatus, ZTeamRole } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export { ZTeamRole };

export const ZProductRef = z.object({ id: ZId, name: z.string() });

export const ZTeamListItem = z.object({
  id: ZId,
  name: z.string(),
  organization: z.object({ id: ZId, name: z.string() }).nullable(),
  createdAt: ZDateTime,
  alwaysFree: z.boolean(),
  lastPaymentAt: ZDateTime.nullable(),
  membersCount: z.number().int(),
  keysCount: z.number().int(),
  activeProducts: z.array(ZProductRef),
  /** Active and lapsed products with "renews on" / "lapsed on" (core renewalView). */
  renewals: z.array(
    z.object({
      productId: ZId,
      name: z.string(),
      status: ZProductAttachmentStatus.extract(["ACTIVE", "LAPSED"]),
      renewsOn: ZDateTime.nullable(),
      lapsedOn: ZDateTime.nullable(),
    }),
  ),
  expired: z.boolean(),
  /** Cut off on the proxies (any block reason; teams.get says which). */
  blocked: z.boolean(),
  /** Sum of the latest spend read on every region (USD); null while never read, not 0. */
  spendUsd: z.number().nullable(),
});

const ZLimitSource = z.union([
  z.object({ productId: ZId, productName: z.string() }),
  z.literal("default"),
]);
export const ZEntitlement = z.object({
  maxKeys: z.number().int().nullable(),
  maxBudgetUsd: z.number().nullable(),
  budgetDuration: z.string().nullable(),
  rpmLimit: z.number().int().nullable(),
  tpmLimit: z.number().int().nullable(),
  models: z.array(z.string()),
  sources: z.object({
    maxKeys: ZLimitSource,
    maxBudgetUsd: ZLimitSource,
    budgetDuration: ZLimitSource,
    rpmLimit: ZLimitSource,
    tpmLimit: ZLimitSource,
    models: ZLimitSource,
  }),
  /** Each region's LiteLLM team gets the full budget. */
  budgetScope: z.literal("per_region"),
});

/** The level a manual block was placed at (core block-level.ts); null on others and old rows. */
export { ZBlockLevel };

export const ZTeamBlockReasons = z.array(
  z.object({
    reason: z.enum(["manual", "expired"]),
    note: z.string().nullable(),
    since: ZDateTime,
    level: ZBlockLevel.nullable(),
    /** The name of the person or service token who placed a manual block. */
    placedBy: z.string().nullable(),
  }),
);
export const ZTeamBlockOutput = z.object({
  blocked: z.boolean(),
  blockReasons: ZTeamBlockReasons,
  /** There is a manual block and this caller may lift it (placed at their level or below). */
  canUnblock: z.boolean(),
});
export type TTeamBlockOutput = z.infer<typeof ZTeamBlockOutput>;

export const ZTeamIdInput = z.strictObject({ teamId: ZId });

export const ZTeamMember = z.object({
  userId: ZId,
  email: z.string(),
  name: z.string(),
  role: ZTeamRole,
  /** MANUAL: added by hand; SSO: by a single sign-on group rule (kept in sync with the IdP). */
  source: z.enum(["MANUAL", "SSO"]),
  createdAt: ZDateTime,
  /** USD the member may spend inside the team (teams.setMemberBudget); null: none. */
  maxBudgetUsd: z.number().nullable(),
});

/** One region's latest reading of a team; null numbers were never read. */
export const ZRegionSpend = z.object({
  regionId: ZId,
  regionName: z.string(),
  spendUsd: z.number().nullable(),
  budgetUsd: z.number().nullable(),
  budgetResetAt: ZDateTime.nullable(),
  /** When this reading was taken (null: never). */
  asOf: ZDateTime.nullable(),
  /** The region's last sync failed (or it was never read): this value may be old. */
  stale: z.boolean(),
  /** Why the region's last sync failed. */
  error: z.string().nullable(),
});

export const ZTeamSpend = z.object({
  /** Sum of the regions read (USD); null when none was. */
  totalUsd: z.number().nullable(),
  /** Sum of the regions' budgets (each proxy enforces its own); null: no budget. */
  budgetUsd: z.number().nullable(),
  budgetResetAt: ZDateTime.nullable(),
  byRegion: z.array(ZRegionSpend),
  /** The oldest reading in the total. */
  asOf: ZDateTime.nullable(),
});

export const ZTeamDetail = ZTeamListItem.extend({
  updatedAt: ZDateTime,
  /** The team's own key rotation policy in days (products may set a smaller one). */
  rotateEveryDays: z.number().nullable(),
  spend: ZTeamSpend,
  entitlement: ZEntitlement,
  blockReasons: ZTeamBlockReasons,
  /** There is a manual block and this caller may lift it (placed at their level or below). */
  canUnblock: z.boolean(),
  members: z.array(ZTeamMember),
  products: z.array(
    z.object({
      id: ZId,
      productId: ZId,
      name: z.string(),
      status: ZProductAttachmentStatus,
      createdAt: ZDateTime,
      /** ACTIVE: the end of the current renewal period (core renewalView); else null. */
      renewsOn: ZDateTime.nullable(),
      /** LAPSED: when it lapsed; else null. */
      lapsedOn: ZDateTime.nullable(),
    }),
  ),
  /** What the caller may do here, so the UI offers only allowed actions. */
  permissions: z.object({
    manage: z.boolean(),
    manageMembers: z.boolean(),
    manageKeys: z.boolean(),
  }),
});

export const ZMemberInput = z.strictObject({
  teamId: ZId,
  userId: ZId,
  role: ZTeamRole.default("MEMBER"),
});

export const ZMembershipOut = z.object({ teamId: z.string(), userId: z.string(), role: ZTeamRole });
