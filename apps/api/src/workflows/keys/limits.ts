/**
 * The key limit rules of keys.create, keys.update and keys.extend in one place: the team's
 * entitlement and key policy from its active products, and core's checks turned into
 * field errors (the first refused field, every refused field in `details.fields`).
 */
import {
  badRequest,
  effectiveEntitlement,
  keyPolicy,
  normalizeLegacyLimits,
  type KeyFieldError,
  type KeyPolicy,
  type TEntitlement,
  type TKeyLimits,
  type TProductLimits,
} from "@gatehouse/core";
import type { KeyLimitsInput } from "@gatehouse/litellm";

export interface KeyRules {
  entitlement: TEntitlement;
  policy: KeyPolicy;
}

export function keyRulesOf(
  products: ReadonlyArray<{ id: string; name: string; limits: unknown }>,
  defaults: TProductLimits,
): KeyRules {
  const active = products.map((p) => ({
    id: p.id,
    name: p.name,
    limits: normalizeLegacyLimits(p.limits),
  }));
  return {
    entitlement: effectiveEntitlement(active, defaults),
    policy: keyPolicy(active, defaults),
  };
}

export function refuseFields(errors: readonly KeyFieldError[]): never {
  const first = errors[0]!;
  throw badRequest(errors.map((e) => e.message).join("; "), {
    field: first.field,
    fields: errors.map((e) => ({ field: e.field, message: e.message })),
  });
}

/** What `/key/generate` gets of a key's limits: only those it has (none: the team's apply). */
export function generateLimitsOf(limits: TKeyLimits): KeyLimitsInput | undefined {
  const out: KeyLimitsInput = {
    ...(limits.maxBudgetUsd !== null ? { maxBudgetUsd: limits.maxBudgetUsd } : {}),
    ...(limits.budgetDuration !== null ? { budgetDuration: limits.budgetDuration } : {}),
    ...(limits.rpmLimit !== null ? { rpmLimit: limits.rpmLimit } : {}),
    ...(limits.tpmLimit !== null ? { tpmLimit: limits.tpmLimit } : {}),
    ...(limits.models.length > 0 ? { models: limits.models } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}
