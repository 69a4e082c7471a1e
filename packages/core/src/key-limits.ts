/**
 * A key's own limits and lifetime, inside its team's entitlement.
 *
 * LiteLLM accepts a key budget above its team's, or models the team lacks, without a word
 * (and never lets the key use them), so Gatehouse refuses them here, naming the product
 * that caps the field: the creator learns which purchase to change.
 *
 * Product key defaults fill what the creator left unset, and are stored on the key as
 * values (with the fields they filled in `defaulted`), so the key keeps what it was created
 * with when a product changes later, and the UI can still say where each value came from.
 */
import { z } from "zod";
import {
  LITELLM_DURATION,
  type ActiveProductLimits,
  type LimitSource,
  type TEntitlement,
  type TProductLimits,
} from "./entitlements.ts";

const DAY_MS = 86_400_000;

export const KEY_LIMIT_FIELDS = [
  "maxBudgetUsd",
  "budgetDuration",
  "rpmLimit",
  "tpmLimit",
  "models",
] as const;
export type KeyLimitField = (typeof KEY_LIMIT_FIELDS)[number];
export const KEY_DEFAULT_FIELDS = [
  "maxBudgetUsd",
  "budgetDuration",
  "rpmLimit",
  "tpmLimit",
] as const;
export type KeyDefaultField = (typeof KEY_DEFAULT_FIELDS)[number];

export const ZKeyBudgetDuration = z
  .string()
  .max(20)
  .regex(LITELLM_DURATION, { error: "must be a LiteLLM duration such as 30d, 1mo, 12h" });

/** A key's own limits as the API takes them (null/absent: none of its own; [] models: the team's). */
export const ZKeyLimitsInput = z.strictObject({
  maxBudgetUsd: z.number().min(0).max(1e9).nullable().optional(),
  budgetDuration: ZKeyBudgetDuration.nullable().optional(),
  rpmLimit: z.number().int().min(0).max(1e9).nullable().optional(),
  tpmLimit: z.number().int().min(0).max(1e12).nullable().optional(),
  models: z.array(z.string().trim().min(1).max(200)).max(500).optional(),
});
export type TKeyLimitsInput = z.output<typeof ZKeyLimitsInput>;

/** A key's limits as stored in `api_keys.limits` (always whole). */
export const ZKeyLimits = z.object({
  maxBudgetUsd: z.number().nullable().default(null),
  budgetDuration: z.string().nullable().default(null),
  rpmLimit: z.number().int().nullable().default(null),
  tpmLimit: z.number().int().nullable().default(null),
  models: z.array(z.string()).default([]),
  /** The fields a product's key defaults filled at creation. */
  defaulted: z.array(z.enum(KEY_DEFAULT_FIELDS)).default([]),
});
export type TKeyLimits = z.output<typeof ZKeyLimits>;

export const NO_KEY_LIMITS: TKeyLimits = {
  maxBudgetUsd: null,
  budgetDuration: null,
  rpmLimit: null,
  tpmLimit: null,
  models: [],
  defaulted: [],
};

/** Reads a stored limits blob; anything unreadable is no limits (never a crash on a row). */
export function readKeyLimits(raw: unknown): TKeyLimits {
  const parsed = ZKeyLimits.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { ...NO_KEY_LIMITS };
}

/** A product's key policy across a team's active products, each value with its product. */
export interface KeyPolicy {
  defaults: Record<KeyDefaultField, { value: number | string | null; source: LimitSource }>;
  maxLifetimeDays: { value: number | null; source: LimitSource };
}

/**
 * The key defaults and lifetime cap of a team's products. Like the entitlement, the most
 * generous wins: the largest default, and the longest (or no) lifetime cap; the budget's
 * duration goes with the product that gave the budget default.
 */
export function keyPolicy(
  products: readonly ActiveProductLimits[],
  fallback: Pick<TProductLimits, "keyDefaults" | "keyMaxLifetimeDays"> = {},
): KeyPolicy {
  const sorted = [...products].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const src = (p: ActiveProductLimits): LimitSource => ({ productId: p.id, productName: p.name });
  const pickNumber = (field: "maxBudgetUsd" | "rpmLimit" | "tpmLimit") => {
    let best: { value: number | null; source: LimitSource } = {
      value: fallback.keyDefaults?.[field] ?? null,
      source: "default",
    };
    if (sorted.length > 0) best = { value: null, source: "default" };
    for (const p of sorted) {
      const v = p.limits.keyDefaults?.[field] ?? null;
      if (v !== null && (best.value === null || v > best.value))
        best = { value: v, source: src(p) };
    }
    return best;
  };
  const budget = pickNumber("maxBudgetUsd");
  const budgetProduct =
    budget.source === "default"
      ? null
      : sorted.find((p) => p.id === (budget.source as { productId: string }).productId);
  const duration =
    budgetProduct !== null && budgetProduct !== undefined
      ? { value: budgetProduct.limits.keyDefaults?.budgetDuration ?? null, source: budget.source }
      : sorted.length === 0
        ? { value: fallback.keyDefaults?.budgetDuration ?? null, source: "default" as const }
        : { value: null, source: "default" as const };
  let maxLifetime: { value: number | null; source: LimitSource } =
    sorted.length === 0
      ? { value: fallback.keyMaxLifetimeDays ?? null, source: "default" }
      : { value: null, source: "default" };
  if (sorted.length > 0) {
    // No cap anywhere beats any cap (a product that does not limit lifetimes).
    const uncapped = sorted.find((p) => (p.limits.keyMaxLifetimeDays ?? null) === null);
    if (!uncapped) {
      for (const p of sorted) {
        const v = p.limits.keyMaxLifetimeDays!;
        if (maxLifetime.value === null || v > maxLifetime.value)
          maxLifetime = { value: v, source: src(p) };
      }
    }
  }
  return {
    defaults: {
      maxBudgetUsd: budget,
      budgetDuration: duration,
      rpmLimit: pickNumber("rpmLimit"),
      tpmLimit: pickNumber("tpmLimit"),
    },
    maxLifetimeDays: maxLifetime,
  };
}

/** A refused field, for a zod-like field error. */
export interface KeyFieldError {
  field: string;
  message: string;
}

export function describeSource(source: LimitSource): string {
  return source === "default" ? "the default entitlement" : `product ${source.productName}`;
}

const fmt = (field: KeyLimitField, v: number) => (field === "maxBudgetUsd" ? `$${v}` : `${v}`);

/**
 * Checks a key's requested limits against the team's entitlement and fills unset ones from
 * the product defaults (`applyDefaults`, at creation). A limit the team does not have (null)
 * caps nothing; models must be among the entitlement's when it names any.
 */
export function resolveKeyLimits(
  requested: TKeyLimitsInput,
  entitlement: Pick<TEntitlement, KeyLimitField | "sources">,
  policy: KeyPolicy | null,
): { ok: true; limits: TKeyLimits } | { ok: false; errors: KeyFieldError[] } {
  const errors: KeyFieldError[] = [];
  const limits: TKeyLimits = {
    maxBudgetUsd: requested.maxBudgetUsd ?? null,
    budgetDuration: requested.budgetDuration ?? null,
    rpmLimit: requested.rpmLimit ?? null,
    tpmLimit: requested.tpmLimit ?? null,
    models: [...new Set(requested.models ?? [])],
    defaulted: [],
  };
  if (policy) {
    for (const field of KEY_DEFAULT_FIELDS) {
      const d = policy.defaults[field].value;
      if (requested[field] === undefined && d !== null) {
        (limits as Record<KeyDefaultField, unknown>)[field] = d;
        limits.defaulted.push(field);
      }
    }
  }
  for (const field of ["maxBudgetUsd", "rpmLimit", "tpmLimit"] as const) {
    const cap = entitlement[field];
    const v = limits[field];
    if (cap === null || v === null || v <= cap) continue;
    if (limits.defaulted.includes(field)) {
      // A product default above the team's cap: the team's limit applies, no key limit.
      limits[field] = cap;
      continue;
    }
    errors.push({
      field,
      message: `${field} is capped at ${fmt(field, cap)} by ${describeSource(entitlement.sources[field])}`,
    });
  }
  if (entitlement.models.length > 0) {
    const outside = limits.models.filter((m) => !entitlement.models.includes(m));
    if (outside.length > 0)
      errors.push({
        field: "models",
        message: `models ${outside.join(", ")} are not allowed by ${describeSource(entitlement.sources.models)}`,
      });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, limits };
}

/**
 * When a key expires: `expiresAt`, or `lifetimeDays` from now, or the lifetime cap when
 * neither is given (null: never). Beyond the cap, or not in the future: a field error.
 */
export function resolveKeyExpiry(
  input: { expiresAt?: Date | null | undefined; lifetimeDays?: number | null | undefined },
  now: Date,
  cap: KeyPolicy["maxLifetimeDays"] | null,
): { ok: true; expiresAt: Date | null } | { ok: false; errors: KeyFieldError[] } {
  const capDays = cap?.value ?? null;
  const capAt = capDays === null ? null : new Date(now.getTime() + capDays * DAY_MS);
  const capText = () => `keys live at most ${capDays} days under ${describeSource(cap!.source)}`;
  if (input.expiresAt != null && input.lifetimeDays != null)
    return {
      ok: false,
      errors: [{ field: "lifetimeDays", message: "give expiresAt or lifetimeDays, not both" }],
    };
  if (input.lifetimeDays != null) {
    if (capDays !== null && input.lifetimeDays > capDays)
      return { ok: false, errors: [{ field: "lifetimeDays", message: capText() }] };
    return { ok: true, expiresAt: new Date(now.getTime() + input.lifetimeDays * DAY_MS) };
  }
  if (input.expiresAt != null) {
    if (input.expiresAt.getTime() <= now.getTime())
      return {
        ok: false,
        errors: [{ field: "expiresAt", message: "expiresAt must be in the future" }],
      };
    if (capAt !== null && input.expiresAt.getTime() > capAt.getTime())
      return { ok: false, errors: [{ field: "expiresAt", message: capText() }] };
    return { ok: true, expiresAt: input.expiresAt };
  }
  return { ok: true, expiresAt: capAt };
}

/** Where a limit in force on a key comes from. */
export type KeyLimitSource =
  { kind: "key" } | { kind: "product"; productName: string } | { kind: "team"; from: string };

export interface KeyLimitInForce {
  field: KeyLimitField;
  value: number | string | string[] | null;
  source: KeyLimitSource | null;
}

/**
 * What limits a key runs under and where each comes from: its own value (or a product
 * default it was created with), else its team's entitlement (LiteLLM enforces both; the
 * key's own is within the team's by construction), else none.
 */
export function keyLimitsInForce(
  key: TKeyLimits,
  entitlement: Pick<TEntitlement, KeyLimitField | "sources">,
  policy: KeyPolicy | null,
): KeyLimitInForce[] {
  return KEY_LIMIT_FIELDS.map((field): KeyLimitInForce => {
    const own = key[field];
    const has = Array.isArray(own) ? own.length > 0 : own !== null;
    if (has) {
      const defaulted = (key.defaulted as readonly string[]).includes(field);
      const ps = policy && field !== "models" ? policy.defaults[field].source : "default";
      return {
        field,
        value: own,
        source:
          defaulted && ps !== "default"
            ? { kind: "product", productName: ps.productName }
            : { kind: "key" },
      };
    }
    const team = entitlement[field];
    const teamHas = Array.isArray(team) ? team.length > 0 : team !== null;
    return teamHas
      ? {
          field,
          value: team,
          source: { kind: "team", from: describeSource(entitlement.sources[field]) },
        }
      : { field, value: Array.isArray(team) ? [] : null, source: null };
  });
}

/** Whether a key with this expiry is expired at `now` (no expiry: never). */
export function isKeyExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
