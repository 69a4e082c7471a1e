/**
 * When a team merge may run and what it tells people, decided over plain rows: the
 * blockers (the preview lists them, the merge refuses with the first), the warnings the
 * preview shows, and the summary the audit event records. db reads the facts (under the
 * merge's locks) and executes; these rules decide.
 */
import { conflict, preconditionFailed, type DomainError } from "./errors.ts";
import {
  planMerge,
  type MergeKeyFacts,
  type MergeMemberFacts,
  type MergePlan,
  type MergeStrategy,
} from "./merge-plan.ts";

export interface MergeRequest {
  sourceTeamId: string;
  targetTeamId: string;
  strategy: MergeStrategy;
  renameSuffix?: string | undefined;
  allowCrossOrganization: boolean;
}

export interface MergeTeamRef {
  id: string;
  name: string;
  organizationId: string | null;
}

/** What the rules read of a merge's two teams (db's MergeFacts carries more). */
export interface MergeRuleFacts {
  source: MergeTeamRef;
  target: MergeTeamRef;
  sourceKeys: MergeKeyFacts[];
  targetKeys: Array<{ id: string; name: string }>;
  sourceMembers: MergeMemberFacts[];
  targetMembers: MergeMemberFacts[];
  sourceActiveProducts: Array<{ id: string; name: string }>;
  regions: ReadonlyMap<string, { name: string; isActive: boolean }>;
}

/** The plan for these facts: preview and merge call this with the same facts. */
export function planFromFacts(facts: MergeRuleFacts, request: MergeRequest): MergePlan {
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
  facts: Pick<MergeRuleFacts, "source" | "target" | "sourceActiveProducts">,
  plan: MergePlan,
  request: Pick<MergeRequest, "allowCrossOrganization">,
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
export function mergeWarnings(
  facts: Pick<MergeRuleFacts, "source" | "target" | "regions">,
  plan: MergePlan,
  request: Pick<MergeRequest, "allowCrossOrganization">,
): string[] {
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

/** The summary of a merge that queued `jobs` LiteLLM jobs for its key moves. */
export function mergeSummary(
  facts: Pick<MergeRuleFacts, "source" | "target">,
  plan: MergePlan,
  request: Pick<MergeRequest, "strategy" | "renameSuffix">,
  jobs: number,
): MergeSummary {
  const ref = (t: MergeTeamRef): MergeSummary["source"] => ({
    id: t.id,
    name: t.name,
    organizationId: t.organizationId,
  });
  return {
    strategy: request.strategy,
    renameSuffix: request.renameSuffix ?? null,
    source: ref(facts.source),
    target: ref(facts.target),
    movedKeys: plan.keysToMove.length,
    renamedKeys: plan.keysToMove.filter((k) => k.newName !== k.name).length,
    deletedKeys: plan.keysToDelete.length,
    conflicts: plan.conflicts.length,
    addedMembers: plan.members.filter((m) => m.action === "add").length,
    upgradedMembers: plan.members.filter((m) => m.action === "upgrade").length,
    jobs,
  };
}
