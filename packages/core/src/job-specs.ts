/**
 * One typed way to describe a job to queue: a constructor per job kind (`jobs.moveKey(...)`),
 * each returning a spec whose payload is checked against its kind at compile time. The db
 * package writes specs as they are (enqueueJobs); set-based work of many teams or keys at
 * once has its own enqueue there, with a closed set of targets.
 */
import { litellmTeamId } from "./litellm-identity.ts";
import type { JobKind, JobPayload } from "./litellm-jobs.ts";
import type { LocalJobKind, LocalJobPayload } from "./local-jobs.ts";

/** A job to enqueue, as data: what to do, where, and in which order within its group. */
export type LiteLLMJobSpec<K extends JobKind = JobKind> = {
  [Kind in K]: {
    kind: Kind;
    payload: JobPayload<Kind>;
    /** Jobs of one group run in stage order (see MERGE_STAGE). */
    groupKey: string | null;
    stage: number;
    /** The region whose proxy the job talks to. */
    regionId: string;
    /** The key it acts on, for per-key sync status. */
    apiKeyId: string | null;
    /** The merge it belongs to, for the merge's status. */
    mergeId?: string | null;
  };
}[K];

/**
 * A local job to enqueue (local-jobs.ts): no region, no group, no key. It has the same
 * fields as a LiteLLM spec, so one enqueueJobs writes both.
 */
export interface LocalJobSpec<K extends LocalJobKind = LocalJobKind> {
  kind: K;
  payload: LocalJobPayload<K>;
  groupKey: null;
  stage: 0;
  regionId: null;
  apiKeyId: null;
}

/** Any job to enqueue. */
export type JobSpec = LiteLLMJobSpec | LocalJobSpec;

/** Where a job runs and how it is ordered; everything but the region is optional. */
export interface JobPlacement {
  regionId: string;
  groupKey?: string | null;
  stage?: number;
  apiKeyId?: string | null;
  mergeId?: string | null;
}

function constructor<K extends JobKind>(kind: K) {
  return (payload: JobPayload<K>, at: JobPlacement): LiteLLMJobSpec<K> => ({
    kind,
    payload,
    groupKey: at.groupKey ?? null,
    stage: at.stage ?? 0,
    regionId: at.regionId,
    apiKeyId: at.apiKeyId ?? null,
    ...(at.mergeId ? { mergeId: at.mergeId } : {}),
  });
}

function localConstructor<K extends LocalJobKind>(kind: K) {
  return (payload: LocalJobPayload<K>): LocalJobSpec<K> => ({
    kind,
    payload,
    groupKey: null,
    stage: 0,
    regionId: null,
    apiKeyId: null,
  });
}

/** The constructor name of each local kind (its kind is not `litellm.<name>`). */
interface LocalConstructorNames {
  "mail.send": "sendMail";
  "events.dispatch": "dispatchEvent";
  "auth.processPasswordReset": "processPasswordReset";
  "webhooks.deliver": "deliverWebhook";
}

/**
 * A constructor per job kind, like graphile-worker's `addJob` over its TaskList: the
 * payload type follows the kind. `satisfies` keeps the list complete: a kind added to
 * jobPayloads or localJobPayloads without a constructor here does not compile.
 */
export const jobs = {
  sendMail: localConstructor("mail.send"),
  dispatchEvent: localConstructor("events.dispatch"),
  processPasswordReset: localConstructor("auth.processPasswordReset"),
  deliverWebhook: localConstructor("webhooks.deliver"),
  ensureTeam: constructor("litellm.ensureTeam"),
  addMembers: constructor("litellm.addMembers"),
  moveKey: constructor("litellm.moveKey"),
  deleteKey: constructor("litellm.deleteKey"),
  restoreKey: constructor("litellm.restoreKey"),
  updateTeam: constructor("litellm.updateTeam"),
  deleteTeam: constructor("litellm.deleteTeam"),
  pushEntitlement: constructor("litellm.pushEntitlement"),
  syncTeamBlock: constructor("litellm.syncTeamBlock"),
  syncKeyBlock: constructor("litellm.syncKeyBlock"),
  detachKeyOwner: constructor("litellm.detachKeyOwner"),
  removeMember: constructor("litellm.removeMember"),
  reinstateKey: constructor("litellm.reinstateKey"),
  restrictKeyRoutes: constructor("litellm.restrictKeyRoutes"),
  addKeySecret: constructor("litellm.addKeySecret"),
  retireKeySecret: constructor("litellm.retireKeySecret"),
  pushKeyLimits: constructor("litellm.pushKeyLimits"),
  setMemberBudget: constructor("litellm.setMemberBudget"),
} satisfies { [K in JobKind as K extends `litellm.${infer Name}` ? Name : never]: unknown } & {
  [K in LocalJobKind as LocalConstructorNames[K]]: unknown;
};

/** Regions by id with their names (a team's LiteLLM identity is per region). */
export type RegionNames = ReadonlyMap<string, { name: string }>;

function byId<T>(regions: ReadonlyMap<string, T>): Array<[string, T]> {
  return [...regions.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * A renamed team: its alias is updated on every region. Gatehouse does not record where a
 * team was created on LiteLLM (a key creation or a merge does it), so every region gets a
 * job; where the proxy has no such team the job finds nothing to update and is done.
 */
export function teamRenameJobs(
  team: { id: string; name: string },
  regions: RegionNames,
): LiteLLMJobSpec[] {
  return byId(regions).map(([regionId, region]) =>
    jobs.updateTeam(
      {
        teamId: litellmTeamId(region.name, team.id),
        gatehouseTeamId: team.id,
        teamAlias: team.name,
      },
      { regionId },
    ),
  );
}

/**
 * A team gone from Gatehouse: deleted on every region's proxy. `groupKey`/`stage` order the
 * delete after other work of the same group (a merge's key moves in that region), because
 * LiteLLM deletes a team's keys with it.
 */
export function teamDeleteJobs(
  teamId: string,
  regions: RegionNames,
  after?: { groupKeyOf: (regionId: string) => string; stage: number },
): LiteLLMJobSpec[] {
  return byId(regions).map(([regionId, region]) =>
    jobs.deleteTeam(
      { teamId: litellmTeamId(region.name, teamId) },
      after ? { regionId, groupKey: after.groupKeyOf(regionId), stage: after.stage } : { regionId },
    ),
  );
}

/**
 * The state a team's LiteLLM team must carry on one region, pushed after something put keys
 * under it (a merge's moves): its entitlement, then its block state. The handlers read the
 * team's state when they run.
 */
export function teamStateJobs(
  team: { id: string; litellmTeamId: string },
  at: JobPlacement,
): LiteLLMJobSpec[] {
  const payload = { teamId: team.litellmTeamId, gatehouseTeamId: team.id };
  return [jobs.pushEntitlement(payload, at), jobs.syncTeamBlock(payload, at)];
}
