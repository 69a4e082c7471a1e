/**
 * Team merge, database side. Everything happens in one transaction that first locks both
 * teams in a fixed order (by id), so two merges touching a team serialize, A->B racing
 * B->A ends with one done and the other finding its source or target gone, and a key or
 * member written to the source concurrently either lands before the lock (and is moved)
 * or waits and then fails its foreign key (refused). LiteLLM changes are not made here:
 * they are enqueued as jobs in the same transaction (see core mergeSyncJobs), so they
 * exist exactly when the merge committed.
 */
import crypto from "node:crypto";
import {
  litellmTeamId,
  MERGE_STAGE,
  mergeGroupKey,
  mergeBlockers,
  mergeCleanupJobs,
  mergeSummary,
  mergeSyncJobs,
  notFound,
  planFromFacts,
  teamStateJobs,
  type MergePlan,
  type MergeRequest,
  type MergeSummary,
} from "@gatehouse/core";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { enqueueJobs } from "../jobs/enqueue.ts";
import { recordEndedTeam } from "./ended.ts";
import { loadMergeFacts, type MergeFacts } from "./merge-facts.ts";

export interface MergeOutcome {
  mergeId: string;
  status: "SYNCING" | "DONE";
  plan: MergePlan;
  facts: MergeFacts;
  jobs: number;
}

export interface MergeContext {
  now: Date;
  createdByUserId: string | null;
  createdByServiceTokenId: string | null;
  /**
   * Writes the audit event inside the merge transaction. It gets a summary: the full
   * snapshot (every member and key, several MB for a big merge) is stored once, in
   * team_merges.snapshot under `mergeId`, by the same transaction.
   */
  audit(
    tx: Prisma.TransactionClient,
    event: { mergeId: string; summary: MergeSummary; organizationId: string | null },
  ): Promise<void>;
  /** Test hook: runs inside the transaction after the locks, before any change. */
  afterLock?: () => Promise<void>;
}

export async function executeMerge(
  prisma: PrismaClient,
  request: MergeRequest,
  context: MergeContext,
): Promise<MergeOutcome> {
  return prisma.$transaction(
    async (tx) => {
      // Fixed lock order (by id) so concurrent merges of the same pair cannot deadlock.
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM teams WHERE id IN (${request.sourceTeamId}::uuid, ${request.targetTeamId}::uuid)
         ORDER BY id FOR UPDATE`;
      if (!locked.some((t) => t.id === request.sourceTeamId))
        throw notFound("Source team", { field: "sourceTeamId" });
      if (!locked.some((t) => t.id === request.targetTeamId))
        throw notFound("Target team", { field: "targetTeamId" });
      await context.afterLock?.();

      const facts = await loadMergeFacts(tx, request.sourceTeamId, request.targetTeamId);
      const plan = planFromFacts(facts, request);
      const [blocker] = mergeBlockers(facts, plan, request);
      if (blocker) throw blocker.error();

      const mergeId = crypto.randomUUID();
      const target = request.targetTeamId;
      const added = plan.members.filter((m) => m.action === "add");
      const upgraded = plan.members.filter((m) => m.action === "upgrade");
      // Bulk rows travel as one JSON document (jsonb_to_recordset): through Prisma that costs
      // a fraction of what the same rows cost as array parameters, at 10,000 keys. Each row
      // is `u` (a user or key id) and `r` (the role, or the key's new name).
      const rowsOf = (pairs: Array<{ u: string; r: string }>) => JSON.stringify(pairs);
      if (added.length) {
        await tx.$executeRaw`
          INSERT INTO team_members (team_id, user_id, role, created_at)
          SELECT ${target}::uuid, x.u, x.r::"TeamRole", ${context.now}
            FROM jsonb_to_recordset(${rowsOf(added.map((m) => ({ u: m.userId, r: m.resultRole })))}::jsonb) AS x(u uuid, r text)
          ON CONFLICT (team_id, user_id) DO NOTHING`;
      }
      if (upgraded.length) {
        await tx.$executeRaw`
          UPDATE team_members tm SET role = x.r::"TeamRole"
            FROM jsonb_to_recordset(${rowsOf(upgraded.map((m) => ({ u: m.userId, r: m.resultRole })))}::jsonb) AS x(u uuid, r text)
           WHERE tm.team_id = ${target}::uuid AND tm.user_id = x.u`;
      }
      if (plan.keysToDelete.length) {
        await tx.$executeRaw`DELETE FROM api_keys WHERE id = ANY(${plan.keysToDelete.map((k) => k.keyId)}::uuid[])`;
      }
      if (plan.keysToMove.length) {
        await tx.$executeRaw`
          UPDATE api_keys k SET team_id = ${target}::uuid, name = x.r, updated_at = ${context.now}
            FROM jsonb_to_recordset(${rowsOf(plan.keysToMove.map((k) => ({ u: k.keyId, r: k.newName })))}::jsonb) AS x(u uuid, r text)
           WHERE k.id = x.u`;
      }

      const jobSpecs = mergeSyncJobs(plan, {
        mergeId,
        target: { id: facts.target.id, name: facts.target.name },
        regions: facts.regions,
        keys: new Map(
          facts.sourceKeys.map((k) => [
            k.id,
            { token: k.litellmKeyId, ownerUserId: k.proxyOwnerId },
          ]),
        ),
      });
      // The source team goes away: delete it on every proxy once its keys moved there. Any
      // region may hold it (keys created and deleted since leave the team behind), so all.
      const allRegions = await tx.region.findMany({ select: { id: true, name: true } });
      const cleanupSpecs = mergeCleanupJobs(
        mergeId,
        request.sourceTeamId,
        new Map(allRegions.map((r) => [r.id, { name: r.name }])),
      );

      // The durable record of what was merged, stored once (team_merges.snapshot). Each fact
      // appears once: member emails ride on the member plan, key regions on the moves.
      const emailOf = new Map(facts.sourceMembers.map((m) => [m.userId, m.email]));
      const regionOf = new Map(facts.sourceKeys.map((k) => [k.id, k.regionId]));
      const snapshotText = JSON.stringify({
        strategy: request.strategy,
        renameSuffix: request.renameSuffix ?? null,
        source: facts.source,
        target: {
          id: facts.target.id,
          name: facts.target.name,
          organizationId: facts.target.organizationId,
        },
        conflicts: plan.conflicts,
        members: plan.members.map((m) => ({ ...m, email: emailOf.get(m.userId) ?? null })),
        movedKeys: plan.keysToMove.map((k) => ({
          keyId: k.keyId,
          from: k.name,
          to: k.newName,
          regionId: regionOf.get(k.keyId),
        })),
        deletedKeys: plan.keysToDelete.map((k) => ({
          keyId: k.keyId,
          name: k.name,
          regionId: k.regionId,
        })),
        jobs: jobSpecs.length,
      });
      const summary = mergeSummary(facts, plan, request, jobSpecs.length);
      // Raw SQL with the JSON as text: Prisma walks a JSON value node by node (about a
      // second per MB), and a 10,000-key merge's snapshot is several MB.
      const status = jobSpecs.length ? "SYNCING" : "DONE";
      await tx.$executeRaw`
        INSERT INTO team_merges (id, source_team_id, target_team_id, strategy, status, snapshot,
                                 created_by_user_id, created_by_service_token_id, created_at, completed_at)
        VALUES (${mergeId}::uuid, ${request.sourceTeamId}::uuid, ${target}::uuid, ${request.strategy},
                ${status}::"MergeStatus", ${snapshotText}::jsonb, ${context.createdByUserId}::uuid,
                ${context.createdByServiceTokenId}::uuid, ${context.now}, ${jobSpecs.length ? null : context.now})`;
      // Cleanup jobs carry no mergeId: the merge is done when its keys are in place, and a
      // region that stays inactive must not hold it in SYNCING for a team delete.
      // The moved keys now live under the target: each region's target team gets the
      // target's entitlement and block state once the keys are in (the cleanup stage of the
      // merge's group; no mergeId: the merge is done when its keys are in place).
      const targetStateSpecs = [...facts.regions.keys()]
        .sort()
        .flatMap((regionId) =>
          teamStateJobs(
            { id: target, litellmTeamId: litellmTeamId(facts.regions.get(regionId)!.name, target) },
            { regionId, groupKey: mergeGroupKey(mergeId, regionId), stage: MERGE_STAGE.cleanup },
          ),
        );
      await enqueueJobs(tx, [
        ...jobSpecs.map((j) => ({ ...j, mergeId })),
        ...cleanupSpecs,
        ...targetStateSpecs,
      ]);
      // Memberships and product links of the source go with it (ON DELETE CASCADE); its
      // keys were all moved or deleted above. Its spend points stay, filed under its own id
      // (the spend it ran up before the merge is its, not the target's), and the report
      // names it from ended_teams.
      await recordEndedTeam(
        tx,
        facts.source,
        { fate: "merged", mergedIntoTeamId: target },
        context.now,
      );
      await tx.$executeRaw`DELETE FROM teams WHERE id = ${request.sourceTeamId}::uuid`;
      await context.audit(tx, { mergeId, summary, organizationId: facts.target.organizationId });
      return {
        mergeId,
        status: jobSpecs.length ? ("SYNCING" as const) : ("DONE" as const),
        plan,
        facts,
        jobs: jobSpecs.length,
      };
    },
    // A big merge (10k keys) does real work; the default 5 s interactive timeout is too short.
    { timeout: 120_000, maxWait: 30_000 },
  );
}
