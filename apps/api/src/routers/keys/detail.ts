/** keys.get's view of one key, also what keys.update and keys.extend answer. */
import {
  blockLevelOf,
  describeSource,
  keyLimitsInForce,
  notFound,
  readKeyLimits,
  type Actor,
} from "@gatehouse/core";
import { keyLimitsStateOf, listKeys } from "@gatehouse/db";
import type { Context } from "../../context.ts";
import { keyRulesOf } from "../../workflows/keys/limits.ts";
import { memberIdOf } from "../../trpc/team-access.ts";
import { toIsoOrNull } from "../shared.schema.ts";
import type { TKeyDetail } from "./get.schema.ts";
import { manualBlockViews, toKey } from "./shared.ts";

export async function keyDetail(
  ctx: Context & { actor: Actor },
  keyId: string,
): Promise<TKeyDetail> {
  const [page, state] = await Promise.all([
    listKeys(ctx.db, {
      scope: { keyId },
      offset: 0,
      take: 1,
      callerUserId: memberIdOf(ctx.actor),
    }),
    keyLimitsStateOf(ctx.db, keyId),
  ]);
  const row = page.keys[0];
  if (!row || !state) throw notFound("Key");
  const team = page.blockedTeams.get(row.teamId);
  const manual = manualBlockViews(page.manualBlocks, () =>
    blockLevelOf(ctx.actor, {
      organizationId: team?.organizationId ?? null,
      callerRole: team?.callerRole ?? null,
    }),
  );
  const job = page.jobs.get(row.id);
  const spend = page.spend.get(row.id) ?? null;
  const key = toKey(
    row,
    job
      ? {
          state: job.status.toLowerCase() as "pending" | "running" | "done" | "failed",
          lastError: job.lastError,
        }
      : null,
    page.reasons.get(row.id) ?? [],
    spend?.spendUsd ?? null,
    manual.get(row.id) ?? null,
  );
  const { entitlement, policy } = keyRulesOf(state.products, ctx.config.defaultEntitlement);
  const inForce = keyLimitsInForce(readKeyLimits(row.limits), entitlement, policy);
  const budget = inForce.find((l) => l.field === "maxBudgetUsd")!.value as number | null;
  const duration = inForce.find((l) => l.field === "budgetDuration")!.value as string | null;
  return {
    ...key,
    limitsInForce: inForce,
    budget: {
      maxBudgetUsd: budget,
      budgetDuration: duration,
      spendUsd: spend?.spendUsd ?? null,
      spendAsOf: toIsoOrNull(spend?.asOf ?? null),
      remainingUsd: budget === null ? null : Math.max(0, budget - (spend?.spendUsd ?? 0)),
    },
    maxLifetimeDays: policy.maxLifetimeDays.value,
    maxLifetimeFrom:
      policy.maxLifetimeDays.value === null ? null : describeSource(policy.maxLifetimeDays.source),
  };
}
