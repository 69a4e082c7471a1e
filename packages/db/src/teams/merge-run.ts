/**
 * The merge as the API runs it. The API holds the Database, never the Prisma client, so
 * these take it and call merge.ts (whose functions take the client their tests and the
 * merge benchmark pass); the status view's reads are here too.
 */
import type { Database } from "../client.ts";
import type { TeamMerge } from "../generated/prisma/client.ts";
import { mergeJobs, type MergeJobRow } from "../jobs/index.ts";
import type { MergeRequest } from "@gatehouse/core";
import { executeMerge, type MergeContext, type MergeOutcome } from "./merge.ts";
import { loadMergeFacts, type MergeFacts } from "./merge-facts.ts";

/** What teams.mergePreview shows: the facts the merge would decide on, read now. */
export function mergePreviewFacts(
  db: Pick<Database, "prisma">,
  sourceTeamId: string,
  targetTeamId: string,
): Promise<MergeFacts> {
  return loadMergeFacts(db.prisma, sourceTeamId, targetTeamId);
}

/** Runs the merge in one transaction (merge.ts executeMerge). */
export function runMerge(
  db: Pick<Database, "prisma">,
  request: MergeRequest,
  context: MergeContext,
): Promise<MergeOutcome> {
  return executeMerge(db.prisma, request, context);
}

/** A merge's record and every job it queued, in order, or null when there is no such merge. */
export async function loadMergeStatus(
  db: Database,
  mergeId: string,
): Promise<{ record: TeamMerge; jobs: MergeJobRow[] } | null> {
  const record = await db.prisma.teamMerge.findUnique({ where: { id: mergeId } });
  if (!record) return null;
  return { record, jobs: await mergeJobs(db.pool, mergeId) };
}
