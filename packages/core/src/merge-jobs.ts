/**
 * The LiteLLM work a merge needs, per region of the moved keys, in the order current
 * LiteLLM accepts it: the target team must exist (`/key/update` to a missing team fails
 * "Team object not found for team change validation"), each moved key's owner must be a
 * member of it (else 403), then the keys move (team and alias together). Keys deleted by
 * the `delete` strategy need no order.
 */
import { MERGE_STAGE, type LiteLLMJobSpec } from "./litellm-jobs.ts";
import { litellmKeyAlias, litellmTeamId } from "./litellm-identity.ts";
import type { MergePlan } from "./merge-plan.ts";
import type { TeamRole } from "./roles.ts";

export interface MergeJobFacts {
  mergeId: string;
  target: { id: string; name: string };
  regions: ReadonlyMap<string, { name: string }>;
  /** Per source key: its LiteLLM token and owner. Keys never created on LiteLLM have no token. */
  keys: ReadonlyMap<string, { token: string | null; ownerUserId: string | null }>;
  /** Gatehouse roles of the target team after the merge, for LiteLLM member roles. */
  resultRoles: ReadonlyMap<string, TeamRole>;
}

export function mergeSyncJobs(plan: MergePlan, facts: MergeJobFacts): LiteLLMJobSpec[] {
  const jobs: LiteLLMJobSpec[] = [];
  const byRegion = new Map<string, Array<MergePlan["keysToMove"][number] & { token: string; owner: string | null }>>();
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
    const groupKey = `merge:${facts.mergeId}:${regionId}`;
    jobs.push({
      kind: "litellm.ensureTeam",
      payload: { teamId, teamAlias: facts.target.name },
      groupKey,
      stage: MERGE_STAGE.ensureTeam,
      regionId,
      apiKeyId: null,
    });
    const owners = [...new Set(moves.map((m) => m.owner).filter((o): o is string => o !== null))].sort();
    if (owners.length > 0) {
      jobs.push({
        kind: "litellm.addMembers",
        payload: {
          teamId,
          members: owners.map((userId) => ({
            userId,
            role: facts.resultRoles.get(userId) === "ADMIN" ? ("admin" as const) : ("user" as const),
          })),
        },
        groupKey,
        stage: MERGE_STAGE.addMembers,
        regionId,
        apiKeyId: null,
      });
    }
    for (const move of moves) {
      jobs.push({
        kind: "litellm.moveKey",
        payload: {
          keyToken: move.token,
          teamId,
          teamAlias: facts.target.name,
          keyAlias: litellmKeyAlias(teamId, move.newName),
          ownerUserId: move.owner,
        },
        groupKey,
        stage: MERGE_STAGE.keys,
        regionId,
        apiKeyId: move.keyId,
      });
    }
  }

  for (const del of plan.keysToDelete) {
    const key = facts.keys.get(del.keyId);
    if (!key?.token) continue;
    jobs.push({
      kind: "litellm.deleteKey",
      payload: { keyToken: key.token },
      groupKey: null,
      stage: 0,
      regionId: del.regionId,
      apiKeyId: del.keyId,
    });
  }
  return jobs;
}
