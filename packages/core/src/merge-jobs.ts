/**
 * The LiteLLM work a merge needs, per region of the moved keys, in the order current
 * LiteLLM accepts it: the target team must exist (`/key/update` to a missing team fails
 * "Team object not found for team change validation"), each moved key's owner must be a
 * member of it (else 403), then the keys move (team and alias together). Keys deleted by
 * the `delete` strategy need no order.
 */
import { jobs, teamDeleteJobs, type LiteLLMJobSpec, type RegionNames } from "./job-specs.ts";
import { MERGE_STAGE } from "./litellm-jobs.ts";
import { litellmKeyAlias, litellmTeamId } from "./litellm-identity.ts";
import type { MergePlan } from "./merge-plan.ts";

export interface MergeJobFacts {
  mergeId: string;
  target: { id: string; name: string };
  regions: ReadonlyMap<string, { name: string }>;
  /** Per source key: its LiteLLM token and owner. Keys never created on LiteLLM have no token. */
  keys: ReadonlyMap<string, { token: string | null; ownerUserId: string | null }>;
}

/** The group of a merge's work in one region (stages order it; see MERGE_STAGE). */
export function mergeGroupKey(mergeId: string, regionId: string): string {
  return `merge:${mergeId}:${regionId}`;
}

export function mergeSyncJobs(plan: MergePlan, facts: MergeJobFacts): LiteLLMJobSpec[] {
  const specs: LiteLLMJobSpec[] = [];
  const byRegion = new Map<
    string,
    Array<MergePlan["keysToMove"][number] & { token: string; owner: string | null }>
  >();
  for (const move of plan.keysToMove) {
    const key = facts.keys.get(move.keyId);
    if (!key?.token) continue;
    const list = byRegion.get(move.regionId) ?? [];
    list.push({ ...move, token: key.token, owner: key.ownerUserId });
    byRegion.set(move.regionId, list);
  }

  for (const [regionId, moves] of [...byRegion.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const region = facts.regions.get(regionId);
    if (!region) throw new Error(`merge: unknown region ${regionId}`);
    const teamId = litellmTeamId(region.name, facts.target.id);
    const groupKey = mergeGroupKey(facts.mergeId, regionId);
    specs.push(
      jobs.ensureTeam(
        { teamId, teamAlias: facts.target.name },
        { regionId, groupKey, stage: MERGE_STAGE.ensureTeam },
      ),
    );
    const owners = [
      ...new Set(moves.map((m) => m.owner).filter((o): o is string => o !== null)),
    ].sort();
    if (owners.length > 0) {
      specs.push(
        jobs.addMembers(
          {
            teamId,
            teamAlias: facts.target.name,
            // Always "user": LiteLLM team admins are Enterprise-only, and Gatehouse needs
            // none (its own roles decide, and it calls LiteLLM with the master key).
            members: owners.map((userId) => ({ userId, role: "user" as const })),
          },
          { regionId, groupKey, stage: MERGE_STAGE.addMembers },
        ),
      );
    }
    for (const move of moves) {
      specs.push(
        jobs.moveKey(
          {
            keyToken: move.token,
            teamId,
            teamAlias: facts.target.name,
            keyAlias: litellmKeyAlias(teamId, move.newName),
            ownerUserId: move.owner,
          },
          { regionId, groupKey, stage: MERGE_STAGE.keys, apiKeyId: move.keyId },
        ),
      );
    }
  }

  for (const del of plan.keysToDelete) {
    const key = facts.keys.get(del.keyId);
    if (!key?.token) continue;
    specs.push(
      jobs.deleteKey({ keyToken: key.token }, { regionId: del.regionId, apiKeyId: del.keyId }),
    );
  }
  return specs;
}

/**
 * After a merge the source team no longer exists in Gatehouse: delete it on every region's
 * proxy, in each region only after that region's key moves (same group, a later stage), so
 * LiteLLM's /team/delete, which deletes the team's keys, never takes a key still moving.
 * Not part of the merge's own jobs: a merge is done when its keys are in place.
 */
export function mergeCleanupJobs(
  mergeId: string,
  sourceTeamId: string,
  regions: RegionNames,
): LiteLLMJobSpec[] {
  return teamDeleteJobs(sourceTeamId, regions, {
    groupKeyOf: (regionId) => mergeGroupKey(mergeId, regionId),
    stage: MERGE_STAGE.cleanup,
  });
}
