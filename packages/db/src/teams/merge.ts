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
  conflict,
  litellmTeamId,
  MERGE_STAGE,
  mergeGroupKey,
  mergeCleanupJobs,
  mergeSyncJobs,
  LITELLM_LEFT_OWNER,
  notFound,
  planMerge,
  preconditionFailed,
  teamStateJobs,
  type DomainError,
  type MergePlan,
  type MergeStrategy,
  type TeamRole,
} from "@gatehouse/core";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { enqueueJobs } from "../jobs/enqueue.ts";
import { recordEndedTeam } from "./ended.ts";

export interface MergeTeamFacts {
  id: string;
  name: string;
  organizationId: string | null;
  organizationName: string | null;
  membersCount: number;
  keysCount: number;
}

export interface MergeFacts {
  source: MergeTeamFacts;
  target: MergeTeamFacts;
  sourceKeys: Array<{
    id: string;
    name: string;
    regionId: string;
    litellmKeyId: string | null;
    creatorId: string | null;
    /**
     * The key's owner on its proxy: its creator, or core's LITELLM_LEFT_OWNER once the
     * creator left the team (`owner_left`; teams/leave.ts detached it), so a merge does not
     * make someone who left a member of the target's LiteLLM team.
     */
    proxyOwnerId: string | null;
  }>;
  targetKeys: Array<{ id: string; name: string }>;
  sourceMembers: Array<{ userId: string; email: string; role: TeamRole }>;
  targetMembers: Array<{ userId: string; email: string; role: TeamRole }>;
  sourceActiveProducts: Array<{ id: string; name: string }>;
  regions: Map<string, { name: string; isActive: boolean }>;
}

type Db = Prisma.TransactionClient | PrismaClient;

/**
 * One team with its counts, by hand: Prisma's relation `_count` (batched for two teams into
 * one query) groups the whole team_members and api_keys tables (prisma issue 23669), about
 * a second per merge at a million teams, inside the transaction that holds the locks.
 */
async function teamFacts(db: Db, id: string): Promise<MergeTeamFacts | null> {
  const [team] = await db.$queryRaw<MergeTeamFacts[]>`
    SELECT t.id::text, t.name, t.organization_id::text AS "organizationId", o.name AS "organizationName",
           (SELECT count(*) FROM team_members m WHERE m.team_id = t.id)::int AS "membersCount",
           (SELECT count(*) FROM api_keys k WHERE k.team_id = t.id)::int AS "keysCount"
      FROM teams t LEFT JOIN organizations o ON o.id = t.organization_id
     WHERE t.id = ${id}::uuid`;
  return team ?? null;
}

/**
 * Everything a merge decision needs. Inside the merge it runs after both teams are locked.
 * Queries run one after another: a transaction is one connection, and pg deprecates
 * overlapping queries on one client.
 */
export async function loadMergeFacts(
  db: Db,
  sourceTeamId: string,
  targetTeamId: string,
): Promise<MergeFacts> {
  const source = await teamFacts(db, sourceTeamId);
  const target = await teamFacts(db, targetTeamId);
  if (!source) throw notFound("Source team", { field: "sourceTeamId" });
  if (!target) throw notFound("Target team", { field: "targetTeamId" });
  // Raw SQL for the per-key and per-member lists: a merge of 10,000 keys and 5,000 members
  // spent over a second materializing them through Prisma's model queries (and a users
  // lookup with one bind parameter per member), inside the transaction that holds the locks.
  type MemberRow = { userId: string; email: string; role: TeamRole };
  const members = (teamId: string) => db.$queryRaw<MemberRow[]>`
    SELECT m.user_id::text AS "userId", u.email, m.role::text AS role
      FROM team_members m JOIN users u ON u.id = m.user_id
     WHERE m.team_id = ${teamId}::uuid`;
  const sourceKeys = await db.$queryRaw<MergeFacts["sourceKeys"]>`
      SELECT k.id::text, k.name, k.region_id::text AS "regionId", k.litellm_key_id AS "litellmKeyId",
             k.creator_id::text AS "creatorId",
             CASE WHEN EXISTS (SELECT 1 FROM api_key_blocks b
                                WHERE b.api_key_id = k.id AND b.reason = 'owner_left')
                  THEN ${LITELLM_LEFT_OWNER} ELSE k.creator_id::text END AS "proxyOwnerId"
        FROM api_keys k WHERE k.team_id = ${sourceTeamId}::uuid`;
  const targetKeys = await db.$queryRaw<
    MergeFacts["targetKeys"]
  >`SELECT id::text, name FROM api_keys WHERE team_id = ${targetTeamId}::uuid`;
  const sourceMembers = await members(sourceTeamId);
  const targetMembers = await members(targetTeamId);
  const products = await db.teamProduct.findMany({
    where: { teamId: sourceTeamId, status: "ACTIVE" },
    select: { product: { select: { id: true, name: true } } },
  });
  const regionIds = [...new Set(sourceKeys.map((k) => k.regionId))];
  const regions = regionIds.length
    ? await db.region.findMany({
        where: { id: { in: regionIds } },
        select: { id: true, name: true, isActive: true },
      })
    : [];
  return {
    source,
    target,
    sourceKeys,
    targetKeys,
    sourceMembers,
    targetMembers,
    sourceActiveProducts: products.map((p) => p.product),
    regions: new Map(regions.map((r) => [r.id, { name: r.name, isActive: r.isActive }])),
  };
}

export interface MergeRequest {
  sourceTeamId: string;
  targetTeamId: string;
  strategy: MergeStrategy;
  renameSuffix?: string | undefined;
  allowCrossOrganization: boolean;
}

export function planFromFacts(facts: MergeFacts, request: MergeRequest): MergePlan {
  return planMerge({
    source: { id: facts.source.id, name: facts.source.name },
    sourceKeys: facts.sourceKeys,
    targetKeys: facts.targetKeys,
    sourceMembers: facts.sourceMembers,
    targetMembers: facts.targetMembers,
    strategy: request.strategy,
    renameSuffix: request.renameSuffix,
  });
}

/**
 * One reason this merge cannot run as asked. The preview lists every `message`; the merge
 * throws the first one's `error()` (the error carries the details a client acts on). Both
 * come from this one list, so the preview blocks exactly what the merge refuses.
 */
export interface MergeBlocker {
  kind: "active_products" | "cross_organization" | "key_conflicts";
  message: string;
  error(): DomainError;
}

/** Why this merge cannot run as asked (empty when it can). Shared by preview and merge. */
export function mergeBlockers(
  facts: MergeFacts,
  plan: MergePlan,
  request: MergeRequest,
): MergeBlocker[] {
  const blockers: MergeBlocker[] = [];
  if (facts.sourceActiveProducts.length > 0) {
    blockers.push({
      kind: "active_products",
      message: `The source team has active products (${facts.sourceActiveProducts.map((p) => p.name).join(", ")}); detach them first`,
      error: () =>
        preconditionFailed("The source team has active products; detach them before merging", {
          products: facts.sourceActiveProducts,
        }),
    });
  }
  if (
    facts.source.organizationId !== facts.target.organizationId &&
    !request.allowCrossOrganization
  ) {
    const message =
      "The teams belong to different organizations; set allowCrossOrganization to merge anyway";
    blockers.push({
      kind: "cross_organization",
      message,
      error: () => preconditionFailed(message, { reason: "cross_organization" }),
    });
  }
  if (plan.blockedByConflicts) {
    blockers.push({
      kind: "key_conflicts",
      message: `${plan.conflicts.length} key name(s) exist in both teams; choose delete or rename`,
      error: () =>
        conflict("Key names exist in both teams; nothing was changed", {
          conflicts: plan.conflicts.map((c) => ({
            name: c.name,
            sourceKeyId: c.sourceKeyId,
            targetKeyId: c.targetKeyId,
          })),
        }),
    });
  }
  return blockers;
}

/** What the preview warns about: things the merge will do that the caller may not expect. */
export function mergeWarnings(facts: MergeFacts, plan: MergePlan, request: MergeRequest): string[] {
  const inactive = plan.keysToMove.filter(
    (k) => !(facts.regions.get(k.regionId)?.isActive ?? false),
  );
  return [
    `The source team "${facts.source.name}" will be deleted.`,
    ...(inactive.length
      ? [
          `${inactive.length} key(s) are in inactive regions: they move in Gatehouse now and sync to LiteLLM when the region is active again.`,
        ]
      : []),
    ...(facts.source.organizationId !== facts.target.organizationId &&
    request.allowCrossOrganization
      ? [
          "The teams belong to different organizations; the merged team stays in the target's organization.",
        ]
      : []),
  ];
}

export interface MergeOutcome {
  mergeId: string;
  status: "SYNCING" | "DONE";
  plan: MergePlan;
  facts: MergeFacts;
  jobs: number;
}

/** What the audit event of a merge records; the details are in team_merges.snapshot. */
export interface MergeSummary {
  strategy: MergeStrategy;
  renameSuffix: string | null;
  source: { id: string; name: string; organizationId: string | null };
  target: { id: string; name: string; organizationId: string | null };
  movedKeys: number;
  renamedKeys: number;
  deletedKeys: number;
  conflicts: number;
  addedMembers: number;
  upgradedMembers: number;
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
      const summary: MergeSummary = {
        strategy: request.strategy,
        renameSuffix: request.renameSuffix ?? null,
        source: {
          id: facts.source.id,
          name: facts.source.name,
          organizationId: facts.source.organizationId,
        },
        target: {
          id: facts.target.id,
          name: facts.target.name,
          organizationId: facts.target.organizationId,
        },
        movedKeys: plan.keysToMove.length,
        renamedKeys: plan.keysToMove.filter((k) => k.newName !== k.name).length,
        deletedKeys: plan.keysToDelete.length,
        conflicts: plan.conflicts.length,
        addedMembers: plan.members.filter((m) => m.action === "add").length,
        upgradedMembers: plan.members.filter((m) => m.action === "upgrade").length,
        jobs: jobSpecs.length,
      };
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
