/**
 * keys.update and keys.extend: a key's name, own limits and expiry, checked against its
 * team's entitlement and the products' lifetime cap like keys.create, written under the
 * key's lock, audited, and pushed to the key's proxy by a durable job (`pushKeyLimits`
 * reads the key when it runs, so quick changes converge). A new expiry in the future lifts
 * `key_expired` (its block push queued with it).
 */
import {
  conflict,
  jobs,
  notFound,
  readKeyLimits,
  resolveKeyExpiry,
  resolveKeyLimits,
  type Actor,
  type KeyDefaultField,
  type TKeyLimits,
  type TKeyLimitsInput,
} from "@gatehouse/core";
import {
  enqueueJobs,
  keyLimitsState,
  keyNameTaken,
  lockApiKey,
  transaction,
  writeKeyLimits,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import type { KeyAccess } from "../../trpc/key-access.ts";
import { keyRulesOf, refuseFields } from "./limits.ts";

export interface KeyChange {
  name?: string | undefined;
  /** Fields given replace the key's own (null clears); the others stay. */
  limits?: TKeyLimitsInput | undefined;
  /** ISO date-time; null: never expires (refused under a lifetime cap). */
  expiresAt?: string | null | undefined;
}

export async function changeKey(
  ctx: Context & { actor: Actor; keyAccess: KeyAccess },
  change: KeyChange,
  action: "key.update" | "key.extend",
): Promise<void> {
  const { keyId } = ctx.keyAccess;
  const now = ctx.clock.now();
  await transaction(ctx.db, async (tx) => {
    if (!(await lockApiKey(tx, keyId))) throw notFound("Key");
    const key = await keyLimitsState(tx, keyId);
    if (!key) throw notFound("Key");
    const { entitlement, policy } = keyRulesOf(key.products, ctx.config.defaultEntitlement);
    const before = readKeyLimits(key.limits);

    let limits: TKeyLimits | undefined;
    if (change.limits !== undefined) {
      const given = change.limits;
      const merged: TKeyLimitsInput = {
        maxBudgetUsd: given.maxBudgetUsd !== undefined ? given.maxBudgetUsd : before.maxBudgetUsd,
        budgetDuration:
          given.budgetDuration !== undefined ? given.budgetDuration : before.budgetDuration,
        rpmLimit: given.rpmLimit !== undefined ? given.rpmLimit : before.rpmLimit,
        tpmLimit: given.tpmLimit !== undefined ? given.tpmLimit : before.tpmLimit,
        models: given.models ?? before.models,
      };
      // No defaults on an update: the key keeps what it has; its own values are checked.
      const resolved = resolveKeyLimits(merged, entitlement, null);
      if (!resolved.ok) refuseFields(resolved.errors);
      limits = {
        ...resolved.limits,
        // A field the caller set is the key's own now.
        defaulted: before.defaulted.filter(
          (f: KeyDefaultField) => given[f] === undefined && resolved.limits[f] === before[f],
        ),
      };
    }

    let expiresAt: Date | null | undefined;
    if (change.expiresAt !== undefined) {
      if (change.expiresAt === null) {
        if (policy.maxLifetimeDays.value !== null) {
          const check = resolveKeyExpiry(
            { expiresAt: new Date(8.64e15) },
            now,
            policy.maxLifetimeDays,
          );
          if (!check.ok) refuseFields(check.errors);
        }
        expiresAt = null;
      } else {
        const check = resolveKeyExpiry(
          { expiresAt: new Date(change.expiresAt) },
          now,
          policy.maxLifetimeDays,
        );
        if (!check.ok) refuseFields(check.errors);
        expiresAt = check.expiresAt;
      }
    }

    if (change.name !== undefined && change.name !== key.name) {
      if (await keyNameTaken(tx, key.teamId, change.name, keyId))
        throw conflict("A key with this name already exists in the team", { field: "name" });
    }

    const { liftedExpired } = await writeKeyLimits(tx, {
      keyId,
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(limits !== undefined ? { limits } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      now,
    });
    if (key.litellmKeyId !== null) {
      const at = { regionId: key.regionId, apiKeyId: keyId };
      await enqueueJobs(tx, [
        jobs.pushKeyLimits({ keyToken: key.litellmKeyId, keyId }, at),
        ...(liftedExpired ? [jobs.syncKeyBlock({ keyToken: key.litellmKeyId, keyId }, at)] : []),
      ]);
    }
    await writeAudit(tx, ctx, {
      action,
      targetType: "apiKey",
      targetId: keyId,
      organizationId: key.organizationId,
      details: {
        teamId: key.teamId,
        ...(change.name !== undefined ? { name: { before: key.name, after: change.name } } : {}),
        ...(limits !== undefined ? { limits: { before, after: limits } } : {}),
        ...(expiresAt !== undefined
          ? {
              expiresAt: {
                before: key.expiresAt?.toISOString() ?? null,
                after: expiresAt?.toISOString() ?? null,
              },
            }
          : {}),
        liftedExpired,
      },
    });
  });
}
