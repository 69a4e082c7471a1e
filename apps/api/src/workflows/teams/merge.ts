/**
 * Merging one team into another (system admins and admin-scoped tokens). Preview and merge
 * share one plan (core planFromFacts over the same facts), so the preview is
 * exactly what the merge does; the merge itself runs in one transaction (db executeMerge).
 */
import {
  auditActor,
  mergeBlockers,
  mergeWarnings,
  planFromFacts,
  type Actor,
} from "@gatehouse/core";
import { mergePreviewFacts, runMerge, type MergeFacts } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import type { TMergePreview } from "../../routers/teams/merge-preview.schema.ts";
import type { TMergeRequest, TMergeResult } from "../../routers/teams/merge.schema.ts";
import { organizationRefOf } from "../../routers/shared.schema.ts";

const teamRef = (t: MergeFacts["source"]) => ({
  id: t.id,
  name: t.name,
  organization: organizationRefOf(t),
  membersCount: t.membersCount,
  keysCount: t.keysCount,
});

/** What the merge would do now, and why it would be refused as asked (blockers). */
export async function previewMerge(ctx: Context, input: TMergeRequest): Promise<TMergePreview> {
  const facts = await mergePreviewFacts(ctx.db, input.sourceTeamId, input.targetTeamId);
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
}

/** Runs the merge with its audit event, and summarises what it did. */
export async function mergeTeams(
  ctx: Context & { actor: Actor },
  input: TMergeRequest,
): Promise<TMergeResult> {
  const who = auditActor(ctx.actor);
  const outcome = await runMerge(ctx.db, input, {
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
  return {
    mergeId: outcome.mergeId,
    status: outcome.status,
    movedMembers: outcome.plan.members.filter((m) => m.action !== "keep").length,
    movedKeys: outcome.plan.keysToMove.length,
    renamedKeys: outcome.plan.keysToMove.filter((k) => k.newName !== k.name).length,
    deletedKeys: outcome.plan.keysToDelete.length,
    jobs: outcome.jobs,
  };
}
