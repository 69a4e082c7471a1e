/**
 * teams.mergePreview / merge / mergeStatus (system admins and admin-scoped tokens).
 * Preview and merge share one plan (core planMerge over the same facts), so the preview
 * is exactly what the merge does; the merge itself runs in db's executeMerge.
 */
import { auditActor, mergeBlockers, mergeWarnings, planFromFacts } from "@gatehouse/core";
import {
  executeMerge,
  loadMergeFacts,
  mergeJobs,
  type MergeFacts,
  type MergeJobRow,
} from "@gatehouse/db";
import { notFound } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import {
  ZMergeInput,
  ZMergePreview,
  ZMergeResult,
  ZMergeStatus,
  ZMergeStatusInput,
  type TMergeStatus,
} from "./merge.schema.ts";

const teamRef = (t: MergeFacts["source"]) => ({
  id: t.id,
  name: t.name,
  organization:
    t.organizationId && t.organizationName
      ? { id: t.organizationId, name: t.organizationName }
      : null,
  membersCount: t.membersCount,
  keysCount: t.keysCount,
});

export const mergePreview = adminProcedure
  .input(ZMergeInput)
  .output(ZMergePreview)
  .query(async ({ ctx, input }) => {
    const facts = await loadMergeFacts(ctx.db.prisma, input.sourceTeamId, input.targetTeamId);
    const plan = planFromFacts(facts, input);
    const emailOf = new Map(facts.sourceMembers.map((m) => [m.userId, m.email]));
    const region = (id: string) => facts.regions.get(id) ?? { name: "unknown", isActive: false };
    return {
      source: teamRef(facts.source),
      target: teamRef(facts.target),
      strategy: input.strategy,
      crossOrganization: facts.source.organizationId !== facts.target.organizationId,
      blockingProducts: facts.sourceActiveProducts,
      conflicts: plan.conflicts,
      members: plan.members.map((m) => ({ ...m, email: emailOf.get(m.userId) ?? "" })),
      keysToMove: plan.keysToMove.map((k) => ({
        keyId: k.keyId,
        name: k.name,
        newName: k.newName,
        regionId: k.regionId,
        regionName: region(k.regionId).name,
        regionActive: region(k.regionId).isActive,
      })),
      keysToDelete: plan.keysToDelete.map((k) => ({ keyId: k.keyId, name: k.name })),
      warnings: mergeWarnings(facts, plan, input),
      blockers: mergeBlockers(facts, plan, input).map((b) => b.message),
    };
  });

export const merge = adminProcedure
  .input(ZMergeInput)
  .output(ZMergeResult)
  .mutation(async ({ ctx, input }) => {
    const who = auditActor(ctx.actor);
    const outcome = await executeMerge(ctx.db.prisma, input, {
      now: ctx.clock.now(),
      createdByUserId: who.actorUserId,
      createdByServiceTokenId: who.actorServiceTokenId,
      audit: (tx, event) =>
        writeAudit(tx, ctx, {
          action: "team.merge",
          targetType: "team",
          targetId: input.targetTeamId,
          organizationId: event.organizationId,
          // The summary and the merge id; the full snapshot (every key and member) is in
          // team_merges.snapshot, written once by the same transaction: through Prisma a
          // second multi-MB copy here would cost seconds while both teams are locked.
          details: { mergeId: event.mergeId, summary: { ...event.summary } },
        }),
    });
    ctx.jobs?.nudge();
    return {
      mergeId: outcome.mergeId,
      status: outcome.status,
      movedMembers: outcome.plan.members.filter((m) => m.action !== "keep").length,
      movedKeys: outcome.plan.keysToMove.length,
      renamedKeys: outcome.plan.keysToMove.filter((k) => k.newName !== k.name).length,
      deletedKeys: outcome.plan.keysToDelete.length,
      jobs: outcome.jobs,
    };
  });

interface Snapshot {
  source?: { name?: string };
  movedKeys?: Array<{ keyId: string; to: string }>;
  deletedKeys?: Array<{ keyId: string; name: string }>;
}

export const mergeStatus = adminProcedure
  .input(ZMergeStatusInput)
  .output(ZMergeStatus)
  .query(async ({ ctx, input }): Promise<TMergeStatus> => {
    const record = await ctx.db.prisma.teamMerge.findUnique({ where: { id: input.mergeId } });
    if (!record) throw notFound("Merge");
    const rows = await mergeJobs(ctx.db.pool, input.mergeId);
    const snapshot = (record.snapshot ?? {}) as Snapshot;
    const names = new Map<string, string>([
      ...(snapshot.movedKeys ?? []).map((k) => [k.keyId, k.to] as const),
      ...(snapshot.deletedKeys ?? []).map((k) => [k.keyId, k.name] as const),
    ]);
    const stateOf = (job: MergeJobRow) =>
      job.status === "DONE"
        ? ("done" as const)
        : job.status === "FAILED"
          ? ("failed" as const)
          : job.status === "RUNNING"
            ? ("running" as const)
            : job.region_active === false
              ? ("waiting_region_inactive" as const)
              : ("pending" as const);
    const count = (state: ReturnType<typeof stateOf>) =>
      rows.filter((j) => stateOf(j) === state).length;
    // A key's move waits for its group's earlier stages (team, members). When one of those
    // is failing (e.g. LiteLLM down), the key's own job has no error yet: show the blocker's,
    // or the per-key status would say "pending" with no reason.
    const failingByGroup = new Map<string, MergeJobRow>();
    for (const d of rows) {
      if (d.group_key === null || d.status === "DONE" || d.last_error === null) continue;
      const seen = failingByGroup.get(d.group_key);
      if (!seen || d.stage < seen.stage) failingByGroup.set(d.group_key, d);
    }
    const blockerError = (job: MergeJobRow): string | null => {
      if (job.group_key === null || job.status === "DONE") return null;
      const blocker = failingByGroup.get(job.group_key);
      return blocker && blocker.stage < job.stage
        ? `waiting for ${blocker.kind} (attempt ${blocker.attempts}): ${blocker.last_error}`
        : null;
    };
    return {
      mergeId: record.id,
      status: record.status,
      sourceTeam: { id: record.sourceTeamId, name: snapshot.source?.name ?? "" },
      targetTeamId: record.targetTeamId,
      strategy: record.strategy as TMergeStatus["strategy"],
      createdAt: toIso(record.createdAt),
      completedAt: toIsoOrNull(record.completedAt),
      jobs: {
        total: rows.length,
        done: count("done"),
        pending: count("pending"),
        running: count("running"),
        failed: count("failed"),
        waiting: count("waiting_region_inactive"),
      },
      keys: rows
        .filter((j): j is MergeJobRow & { api_key_id: string } => j.api_key_id !== null)
        .map((j) => ({
          keyId: j.api_key_id,
          name: names.get(j.api_key_id) ?? "",
          regionName: j.region_name ?? "",
          action: j.kind === "litellm.deleteKey" ? ("delete" as const) : ("move" as const),
          state: stateOf(j),
          attempts: j.attempts,
          lastError: j.last_error ?? blockerError(j),
          nextAttemptAt: j.status === "PENDING" ? toIso(j.run_at) : null,
        })),
    };
  });
