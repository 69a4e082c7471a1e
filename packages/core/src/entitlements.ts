/**
 * What a team may spend and use (its entitlement), and why it may be cut off (blocks).
 *
 * A product carries typed limits; a team's entitlement combines its active products, or is
 * the configured default when it has none (e.g. trial limits). The same function feeds the
 * API's output and the jobs that push the limits to every region's LiteLLM team, so the UI
 * shows exactly what the proxies enforce.
 *
 * Combination (several active products): the most generous wins per limit, since a customer
 * who bought two products expects at least what each gives alone:
 * - numeric limits: the maximum; null (unlimited) beats any number;
 * - models: the union; an empty list (all models) anywhere means all models;
 * - budgetDuration: the one of the product that gave maxBudgetUsd (a budget and its reset
 *   period belong together).
 * Budget across regions: every region's LiteLLM team gets the full budget ("per_region");
 * LiteLLM tracks spend per proxy and Gatehouse does not rebalance it.
 */
import { z } from "zod";

/** LiteLLM's duration strings (`duration_in_seconds`): 30s, 10m, 1h, 30d, 1mo. */
export const LITELLM_DURATION = /^\d+(s|m|h|d|mo)$/;

export const ZProductLimits = z.strictObject({
  maxKeys: z.number().int().min(0).max(1_000_000).nullable().default(null),
  maxBudgetUsd: z.number().min(0).max(1e9).nullable().default(null),
  budgetDuration: z
    .string()
    .max(20)
    .regex(LITELLM_DURATION, { error: "must be a LiteLLM duration such as 30d, 1mo, 12h" })
    .nullable()
    .default(null),
  rpmLimit: z.number().int().min(0).max(1e9).nullable().default(null),
  tpmLimit: z.number().int().min(0).max(1e12).nullable().default(null),
  models: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
  /**
   * Scheduled rotation of the keys of the product's teams (core rotation.ts): the smallest
   * of the team's and its active products' policies applies. Not an entitlement: absent
   * (or null) is no policy, and it is never pushed to a proxy.
   */
  rotateEveryDays: z.number().int().min(1).max(3650).nullable().optional(),
  // ---- keys (issue 26, key limits): optional, so limits stored before them still read whole.
  /** What a key gets for each limit the creator leaves unset (key-limits.ts). */
  keyDefaults: z
    .strictObject({
      maxBudgetUsd: z.number().min(0).max(1e9).nullable().default(null),
      budgetDuration: z
        .string()
        .max(20)
        .regex(LITELLM_DURATION, { error: "must be a LiteLLM duration such as 30d, 1mo, 12h" })
        .nullable()
        .default(null),
      rpmLimit: z.number().int().min(0).max(1e9).nullable().default(null),
      tpmLimit: z.number().int().min(0).max(1e12).nullable().default(null),
    })
    .optional(),
  /** The longest a key may live, in days (a key created without a lifetime gets it). */
  keyMaxLifetimeDays: z.number().int().min(1).max(36_500).nullable().optional(),
  // ---- end keys
});
export type TProductLimits = z.output<typeof ZProductLimits>;
export type TProductLimitsInput = z.input<typeof ZProductLimits>;

export const LIMIT_FIELDS = [
  "maxKeys",
  "maxBudgetUsd",
  "budgetDuration",
  "rpmLimit",
  "tpmLimit",
  "models",
] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

/** No limits at all: what a team gets when no default is configured. */
export const UNLIMITED: TProductLimits = {
  maxKeys: null,
  maxBudgetUsd: null,
  budgetDuration: null,
  rpmLimit: null,
  tpmLimit: null,
  models: [],
};

export type LimitSource = { productId: string; productName: string } | "default";

export interface TEntitlement extends TProductLimits {
  sources: Record<LimitField, LimitSource>;
  budgetScope: "per_region";
}

/**
 * Reads what older versions stored in `products.limits` (an untyped blob: `rpm` for
 * rpmLimit, `models: ["*"]` for all models, unknown keys) into typed limits. Invalid
 * values become unset rather than failing: the migration and the API never crash on a row.
 */
export function normalizeLegacyLimits(raw: unknown): TProductLimits {
  const src = (raw !== null && typeof raw === "object" && !Array.isArray(raw) ? raw : {}) as Record<
    string,
    unknown
  >;
  const num = (v: unknown, int: boolean): number | null =>
    typeof v === "number" && Number.isFinite(v) && v >= 0 && (!int || Number.isInteger(v))
      ? v
      : null;
  const models = Array.isArray(src.models)
    ? src.models.filter((m): m is string => typeof m === "string" && m.trim() !== "")
    : [];
  const duration =
    typeof src.budgetDuration === "string" && LITELLM_DURATION.test(src.budgetDuration)
      ? src.budgetDuration
      : null;
  const keyPart = ZProductLimits.pick({ keyDefaults: true, keyMaxLifetimeDays: true }).safeParse({
    keyDefaults: src.keyDefaults,
    keyMaxLifetimeDays: src.keyMaxLifetimeDays,
  });
  const keys = keyPart.success
    ? {
        ...(keyPart.data.keyDefaults ? { keyDefaults: keyPart.data.keyDefaults } : {}),
        ...(keyPart.data.keyMaxLifetimeDays != null
          ? { keyMaxLifetimeDays: keyPart.data.keyMaxLifetimeDays }
          : {}),
      }
    : {};
  return {
    ...keys,
    maxKeys: num(src.maxKeys, true),
    maxBudgetUsd: num(src.maxBudgetUsd, false),
    budgetDuration: duration,
    rpmLimit: num(src.rpmLimit ?? src.rpm, true),
    tpmLimit: num(src.tpmLimit ?? src.tpm, true),
    models: models.includes("*") ? [] : [...new Set(models)],
    ...rotationPolicyOf(src),
  };
}

/** A stored `rotateEveryDays`, kept when valid (an absent or invalid one: no policy). */
function rotationPolicyOf(src: Record<string, unknown>): { rotateEveryDays?: number } {
  const days = src.rotateEveryDays;
  return typeof days === "number" && Number.isInteger(days) && days >= 1 && days <= 3650
    ? { rotateEveryDays: days }
    : {};
}

/** null (unlimited) beats any number; else the larger. Returns the index of the winner. */
function mostGenerous(values: Array<number | null>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    const b = values[best]!;
    const v = values[i]!;
    if (b === null) break;
    if (v === null || v > b) best = i;
  }
  return best;
}

export interface ActiveProductLimits {
  id: string;
  name: string;
  limits: TProductLimits;
}

export function effectiveEntitlement(
  activeProducts: readonly ActiveProductLimits[],
  defaults: TProductLimits,
): TEntitlement {
  if (activeProducts.length === 0) {
    const sources = Object.fromEntries(LIMIT_FIELDS.map((f) => [f, "default"])) as Record<
      LimitField,
      LimitSource
    >;
    return { ...defaults, models: [...defaults.models], sources, budgetScope: "per_region" };
  }
  // Stable order (by id), so the same set of products always names the same sources.
  const products = [...activeProducts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const source = (i: number): LimitSource => ({
    productId: products[i]!.id,
    productName: products[i]!.name,
  });
  const pick = (field: "maxKeys" | "maxBudgetUsd" | "rpmLimit" | "tpmLimit") =>
    mostGenerous(products.map((p) => p.limits[field]));
  const keys = pick("maxKeys");
  const budget = pick("maxBudgetUsd");
  const rpm = pick("rpmLimit");
  const tpm = pick("tpmLimit");
  const allModels = products.findIndex((p) => p.limits.models.length === 0);
  const models =
    allModels >= 0 ? [] : [...new Set(products.flatMap((p) => p.limits.models))].sort();
  return {
    maxKeys: products[keys]!.limits.maxKeys,
    maxBudgetUsd: products[budget]!.limits.maxBudgetUsd,
    budgetDuration: products[budget]!.limits.budgetDuration,
    rpmLimit: products[rpm]!.limits.rpmLimit,
    tpmLimit: products[tpm]!.limits.tpmLimit,
    models,
    sources: {
      maxKeys: source(keys),
      maxBudgetUsd: source(budget),
      budgetDuration: source(budget),
      rpmLimit: source(rpm),
      tpmLimit: source(tpm),
      // All models: the product that allows all; a union: the first contributor.
      models: source(allModels >= 0 ? allModels : 0),
    },
    budgetScope: "per_region",
  };
}

/** What `/team/update` gets for an entitlement (LiteLLM field names; null clears a limit). */
export function litellmTeamLimits(e: TProductLimits): {
  max_budget: number | null;
  budget_duration: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  models: string[];
} {
  return {
    max_budget: e.maxBudgetUsd,
    budget_duration: e.maxBudgetUsd === null ? null : e.budgetDuration,
    tpm_limit: e.tpmLimit,
    rpm_limit: e.rpmLimit,
    models: [...e.models],
  };
}

/**
 * The `budget_duration` to send with a push, or undefined to leave it out. LiteLLM restarts
 * the budget period whenever a duration is sent (`budget_reset_at` from now), so an
 * unchanged one is left out: the period runs to its reset. `current` undefined: unknown (a
 * team being created), so it is sent.
 */
export function budgetDurationToSend(
  expected: string | null,
  current: string | null | undefined,
): string | null | undefined {
  return current !== undefined && current === expected ? undefined : expected;
}

/** Whether one more key fits under `maxKeys` (null: no limit). */
export function canAddKey(existingKeys: number, maxKeys: number | null): boolean {
  return maxKeys === null || existingKeys < maxKeys;
}

// ---- Blocks ---------------------------------------------------------------------------

export const TEAM_BLOCK_REASONS = ["manual", "expired"] as const;
export type TeamBlockReason = (typeof TEAM_BLOCK_REASONS)[number];
export const KEY_BLOCK_REASONS = ["manual", "owner_disabled", "owner_left", "key_expired"] as const;
export type KeyBlockReason = (typeof KEY_BLOCK_REASONS)[number];

/**
 * Reasons are independent: each is added and lifted on its own, and the subject is blocked
 * on the proxies iff any reason remains (manual + expired: both must be lifted).
 */
export function blockState<R extends string>(
  reasons: readonly R[],
): { blocked: boolean; reasons: R[] } {
  const unique = [...new Set(reasons)].sort();
  return { blocked: unique.length > 0, reasons: unique };
}

/**
 * Whether the sweep should hold the `expired` block on a team: core's expiry rule, with
 * `extraGraceDays` more days before the proxies cut it off.
 */
export function shouldBlockExpired(
  team: {
    alwaysFree: boolean;
    hasActiveProduct: boolean;
    lastPaymentAt: Date | null;
    createdAt: Date;
  },
  now: Date,
  expiryGraceDays: number,
  extraGraceDays: number,
): boolean {
  if (team.alwaysFree || team.hasActiveProduct) return false;
  const paidOrCreated = team.lastPaymentAt ?? team.createdAt;
  return now.getTime() - paidOrCreated.getTime() > (expiryGraceDays + extraGraceDays) * 86_400_000;
}

/**
 * Who may block or unblock a key: whoever may manage the team (system admins, the team
 * organization's admins) and the team's own admins; key creators only create keys.
 */
export function canBlockKeys(permissions: { manage: boolean }, callerRole: string | null): boolean {
  return permissions.manage || callerRole === "ADMIN";
}
