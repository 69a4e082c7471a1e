/**
 * What a key's own limits and expiry are when it is generated again on its proxy (a rotated
 * secret, a secret restored after the proxy lost it): Gatehouse's record of the key
 * (keys.create / keys.update / keys.extend) when this worker can read it, so a previous
 * secret already gone from the proxy lends nothing wrong; else the previous secret's, as
 * the proxy reports them.
 */
import { readKeyLimits } from "@gatehouse/core";
import type { KeyInfo, KeyLimitsInput } from "@gatehouse/litellm";
import type { JobDeps } from "./job-deps.ts";

interface OwnLimits {
  maxBudgetUsd: number | null;
  budgetDuration: string | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  models: readonly string[];
}

function generateFields(
  own: OwnLimits,
  expiresAt: Date | null,
): { limits: KeyLimitsInput; expiresAt?: Date } {
  const limits: KeyLimitsInput = {
    ...(own.maxBudgetUsd !== null ? { maxBudgetUsd: own.maxBudgetUsd } : {}),
    ...(own.budgetDuration !== null ? { budgetDuration: own.budgetDuration } : {}),
    ...(own.tpmLimit !== null ? { tpmLimit: own.tpmLimit } : {}),
    ...(own.rpmLimit !== null ? { rpmLimit: own.rpmLimit } : {}),
    ...(own.models.length > 0 ? { models: [...own.models] } : {}),
  };
  // A past expiry cannot be sent as a duration; the key is blocked as expired anyway.
  return expiresAt !== null && expiresAt.getTime() > Date.now()
    ? { limits, expiresAt }
    : { limits };
}

export async function keyOwnLimits(
  deps: JobDeps,
  keyId: string,
  previous: KeyInfo | null = null,
): Promise<{ limits?: KeyLimitsInput; expiresAt?: Date }> {
  const stored = deps.keyPushState ? await deps.keyPushState(keyId) : null;
  if (stored !== null) return generateFields(readKeyLimits(stored.limits), stored.expiresAt);
  if (previous === null) return {};
  return generateFields(
    previous,
    previous.expiresAt === null ? null : new Date(previous.expiresAt),
  );
}
