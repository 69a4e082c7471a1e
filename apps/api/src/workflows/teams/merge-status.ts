/**
 * teams.mergeStatus: a merge's progress on the proxies, from the jobs it queued, with each
 * moved or deleted key's state and, for a key waiting on a failing earlier stage, that
 * stage's error.
 */
import { notFound } from "@gatehouse/core";
import { loadMergeStatus, type MergeJobRow } from "@gatehouse/db";
import type { Context } from "../../context.ts";
import type { TMergeStatus } from "../../routers/teams/merge-status.schema.ts";
import { toIso, toIsoOrNull } from "../../routers/shared.schema.ts";

/** What team_merges.snapshot holds that this view reads. */
interface Snapshot {
  source?: { name?: string };
  movedKeys?: Array<{ keyId: string; to: string }>;
  deletedKeys?: Array<{ keyId: string; name: string }>;
}

export async function mergeStatusView(ctx: Context, mergeId: string): Promise<TMergeStatus> {
  const found = await loadMergeStatus(ctx.db, mergeId);
  if (!found) throw notFound("Merge");
  const { record, jobs: rows } = found;
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
}
