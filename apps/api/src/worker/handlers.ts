/**
 * What each job does against a region's LiteLLM proxy, typed like graphile-worker's
 * TaskList: one handler per job kind, each given its kind's parsed payload, so a kind
 * without a handler does not compile. Handlers repair what LiteLLM reports missing (a team
 * deleted on the proxy, an owner not yet a member) before giving up, so an out-of-band
 * change on the proxy does not strand a merge; each is idempotent (a job may run again
 * after a worker dies mid-call).
 */
import { isLiteLLMError, type LiteLLMClient } from "@gatehouse/litellm";
import {
  budgetDurationToSend,
  GATEHOUSE_KEY_ROUTES,
  gatehouseKeyIdOf,
  jobPayloads,
  LITELLM_LEFT_OWNER,
  litellmKeyAlias,
  litellmTeamId,
  proxyTeamLimitsOf,
  readKeyLimits,
  type JobKind,
  type JobPayload,
} from "@gatehouse/core";
import { ensureTeamWithState, keyAbsent, requireDep, type JobDeps } from "./job-deps.ts";
import { reinstateKey, restoreFromSecret } from "./key-restore.ts";
import { addKeySecret, retireKeySecret, tokensOfKey } from "./key-rotation.ts";

export type { JobDeps } from "./job-deps.ts";

/** What a handler runs against: the job's region's proxy, and Gatehouse's current state. */
export interface JobContext {
  client: LiteLLMClient;
  /** Absent for callers without database access (tests of the proxy side only). */
  deps: JobDeps | undefined;
}

/** One kind's handler: resolves with a short outcome for the log, throws to retry. */
export type Handler<K extends JobKind> = (
  payload: JobPayload<K>,
  context: JobContext,
) => Promise<string>;

/** Every kind's handler (graphile-worker's TaskList). */
export type TaskList = { [K in JobKind]: Handler<K> };

/**
 * Sends the block state read when the job runs (null: the team or key is gone), so a late
 * or repeated job pushes what Gatehouse holds now; one the proxy does not have is absent.
 */
async function pushBlockState(
  subject: "team" | "key",
  blocked: boolean | null,
  send: (blocked: boolean) => Promise<unknown>,
  absent: (error: unknown) => boolean,
): Promise<string> {
  if (blocked === null) return `${subject} gone`;
  try {
    await send(blocked);
    return blocked ? "blocked" : "unblocked";
  } catch (error) {
    if (absent(error)) return `${subject} absent`;
    throw error;
  }
}

/** `done` once `change` is made; a key the proxy does not have has nothing to change. */
async function unlessKeyAbsent(done: string, change: () => Promise<unknown>): Promise<string> {
  try {
    await change();
    return done;
  } catch (error) {
    if (keyAbsent(error)) return "key absent";
    throw error;
  }
}

export const handlers: TaskList = {
  "litellm.ensureTeam": async (p, { client, deps }) => {
    return ensureTeamWithState(client, { teamId: p.teamId, teamAlias: p.teamAlias }, deps);
  },
  "litellm.addMembers": async (p, { client, deps }) => {
    // Every member as "user", also for jobs queued with "admin" by an older version: team
    // admins are Enterprise-only on LiteLLM and Gatehouse needs none.
    const members = p.members.map((m) => ({ userId: m.userId, role: "user" as const }));
    const add = () => client.ensureTeamMembers({ teamId: p.teamId, members });
    try {
      return await add();
    } catch (error) {
      // A team deleted on the proxy behind our back (LiteLLM: an uncaught 500, or a 404).
      if (!(
        isLiteLLMError(error) &&
        error.reason === "team_not_found" &&
        p.teamAlias !== undefined
      ))
        throw error;
      await ensureTeamWithState(client, { teamId: p.teamId, teamAlias: p.teamAlias }, deps);
      return `${await add()} after repair`;
    }
  },
  "litellm.moveKey": async (p, { client, deps }) => {
    const move = () =>
      client.updateKey({ key: p.keyToken, teamId: p.teamId, keyAlias: p.keyAlias });
    try {
      await move();
      return "moved";
    } catch (error) {
      if (!isLiteLLMError(error)) throw error;
      if (error.reason === "team_not_found") {
        await ensureTeamWithState(client, { teamId: p.teamId, teamAlias: p.teamAlias }, deps);
      } else if (error.reason === "not_team_member") {
        // The owner LiteLLM checks is the key's user_id on the proxy, which our row does
        // not always know: keys made by a service token (creator null, LiteLLM user
        // `gatehouse-service-...`) or whose creator was deleted since. Ask the proxy.
        const owner = (await client.keyInfo(p.keyToken)).userId ?? p.ownerUserId;
        if (!owner) throw error;
        await client.ensureTeamMembers({
          teamId: p.teamId,
          members: [{ userId: owner, role: "user" }],
        });
      } else {
        throw error;
      }
      await move();
      return "moved after repair";
    }
  },
  "litellm.deleteKey": async (p, { client }) => {
    return client.deleteKeysIdempotent({ keys: [p.keyToken] });
  },
  "litellm.restoreKey": async (p, { client, deps }) => {
    // The key as Gatehouse holds it now: a restore queued before a keys.delete (waiting
    // on retries) must not bring the key back.
    const keyId = gatehouseKeyIdOf(p.metadata);
    const keyBlocked = requireDep(deps?.keyBlocked, "litellm.restoreKey");
    const blocked = keyId === null ? null : await keyBlocked(keyId);
    if (blocked === null) return "key gone";
    // Already back (an earlier attempt got through, or someone restored it): done. If it
    // came back in another team, the next reconciliation reports that on its own.
    if ((await client.keyInfoIfPresent(p.keyToken)) !== null) return "already present";
    await restoreFromSecret(client, deps, {
      keyToken: p.keyToken,
      secretSealed: p.secretSealed,
      teamId: p.teamId,
      teamAlias: p.teamAlias,
      keyAlias: p.keyAlias,
      ownerUserId: p.ownerUserId,
      metadata: p.metadata,
      blocked,
      keyId,
    });
    // Deleted while we were creating it (keys.delete settled this job meanwhile): its
    // delete job may have run before our create, so take the key off again.
    if ((await keyBlocked(keyId!)) === null) {
      await client.deleteKeysIdempotent({ keys: [p.keyToken] });
      return "key deleted meanwhile";
    }
    return blocked ? "restored blocked" : "restored";
  },
  "litellm.updateTeam": async (p, { client, deps }) => {
    // The name now, not the one at enqueue time: two quick renames may run in any order.
    const name = deps ? await deps.teamName(p.gatehouseTeamId) : p.teamAlias;
    if (name === null) return "team gone";
    return client.updateTeamIdempotent({ teamId: p.teamId, teamAlias: name });
  },
  "litellm.deleteTeam": async (p, { client }) => {
    return client.deleteTeamIdempotent(p.teamId);
  },
  "litellm.pushEntitlement": async (p, { client, deps }) => {
    // Read now, not at enqueue time: an attach and a detach may run in either order.
    const entitlement = await requireDep(
      deps?.entitlement,
      "litellm.pushEntitlement",
    )(p.gatehouseTeamId);
    const name = await requireDep(deps, "litellm.pushEntitlement").teamName(p.gatehouseTeamId);
    if (entitlement === null || name === null) return "team gone";
    const limits = proxyTeamLimitsOf(entitlement);
    // LiteLLM restarts the budget period whenever budget_duration is sent: read the
    // proxy's, and send it only when it changes, so a push never stretches a period.
    const held = (await client.listTeams({ teamId: p.teamId, pageSize: 1 })).teams[0];
    // The team must exist (a key created later then finds its limits in place): when the
    // proxy does not know it, create it with its full state.
    if (!held) {
      const created = await ensureTeamWithState(
        client,
        { teamId: p.teamId, teamAlias: name },
        deps,
      );
      if (created === "created") return "created the team with its limits";
    }
    const budgetDuration = budgetDurationToSend(
      limits.budgetDuration,
      held ? held.budgetDuration : undefined,
    );
    // undefined: left out of the body (teamLimitsBody), so the proxy's period runs on.
    await client.updateTeamLimits({ ...limits, teamId: p.teamId, budgetDuration });
    return "pushed";
  },
  "litellm.syncTeamBlock": async (p, { client, deps }) =>
    pushBlockState(
      "team",
      await requireDep(deps?.teamBlocked, "litellm.syncTeamBlock")(p.gatehouseTeamId),
      (blocked) => client.setTeamBlocked(p.teamId, blocked),
      // No such team on this proxy: no key of it to cut off (keys.create re-checks).
      (error) => isLiteLLMError(error) && error.reason === "team_not_found",
    ),
  "litellm.detachKeyOwner": async (p, { client, deps }) => {
    const key = await requireDep(deps?.keyReinstateState, "litellm.detachKeyOwner")(p.keyId);
    if (key === null) return "key gone";
    // Back already (re-added, transferred): its reinstate job sets the owner.
    if (!key.reasons.includes("owner_left")) return "owner back";
    // During a rotation's overlap the retiring secret is the same key: it goes too.
    const outcomes: string[] = [];
    for (const token of await tokensOfKey(deps, p.keyId, p.keyToken)) {
      outcomes.push(
        await unlessKeyAbsent("detached", () =>
          client.updateKey({ key: token, userId: LITELLM_LEFT_OWNER }),
        ),
      );
    }
    return outcomes.join(", ");
  },
  "litellm.removeMember": async (p, { client }) => {
    // Queued behind the member's keys' block and detach (same group, lower stages): since
    // LiteLLM 17057 this call deletes the member's keys in the team, and theirs no longer
    // are; on every proxy they stay, blocked.
    const result = await client.removeTeamMemberIdempotent({
      teamId: p.teamId,
      userId: p.userId,
    });
    return result === "removed"
      ? "removed"
      : result === "not_member"
        ? "not a member"
        : "team absent";
  },
  "litellm.reinstateKey": async (p, { client, deps }) => {
    return reinstateKey(client, p.keyId, requireDep(deps, "litellm.reinstateKey"));
  },
  "litellm.syncKeyBlock": async (p, { client, deps }) => {
    const blocked = await requireDep(deps?.keyBlocked, "litellm.syncKeyBlock")(p.keyId);
    // Every secret of the key: a rotation's retiring one is blocked with it during the
    // overlap, and a job queued before a rotation reaches the new one.
    const outcomes: string[] = [];
    for (const token of blocked === null
      ? [p.keyToken]
      : await tokensOfKey(deps, p.keyId, p.keyToken)) {
      outcomes.push(
        await pushBlockState(
          "key",
          blocked,
          (b) => client.setKeyBlocked(token, b),
          // LiteLLM: 401 token_not_found_in_db, classified as key_not_found by the client.
          keyAbsent,
        ),
      );
    }
    return outcomes.join(", ");
  },
  "litellm.restrictKeyRoutes": async (p, { client }) =>
    unlessKeyAbsent("restricted", () =>
      client.updateKey({ key: p.keyToken, allowedRoutes: GATEHOUSE_KEY_ROUTES }),
    ),
  "litellm.addKeySecret": (p, { client, deps }) => addKeySecret(client, p, deps),
  "litellm.retireKeySecret": (p, { client, deps }) => retireKeySecret(client, p, deps),
  "litellm.pushKeyLimits": async (p, { client, deps }) => {
    const state = await requireDep(deps?.keyPushState, "litellm.pushKeyLimits")(p.keyId);
    if (state === null) return "key gone";
    const info = await client.keyInfoIfPresent(p.keyToken);
    if (info === null) return "key absent";
    const limits = readKeyLimits(state.limits);
    // Sending a budget period restarts it on the proxy: only a changed one is sent (and
    // LiteLLM cannot clear one; without a budget it limits nothing).
    const duration =
      limits.budgetDuration === null
        ? undefined
        : budgetDurationToSend(limits.budgetDuration, info.budgetDuration);
    // A past expiry is not sent (LiteLLM takes only a duration from now): the key is held
    // by its `key_expired` block, pushed by its own job.
    const expiresAt =
      state.expiresAt === null
        ? null
        : state.expiresAt.getTime() > Date.now() + 1_000
          ? state.expiresAt
          : undefined;
    await client.updateKeyLimits({
      key: p.keyToken,
      limits: {
        maxBudgetUsd: limits.maxBudgetUsd,
        rpmLimit: limits.rpmLimit,
        tpmLimit: limits.tpmLimit,
        models: limits.models,
        ...(duration ? { budgetDuration: duration } : {}),
      },
      ...(expiresAt !== undefined && !(expiresAt === null && info.expiresAt === null)
        ? { expiresAt }
        : {}),
    });
    const alias = litellmKeyAlias(litellmTeamId(state.regionName, state.teamId), state.name);
    if (info.keyAlias !== alias) await client.updateKey({ key: p.keyToken, keyAlias: alias });
    return "limits pushed";
  },
  "litellm.setMemberBudget": async (p, { client, deps }) => {
    const budget = await requireDep(deps?.memberBudget, "litellm.setMemberBudget")(
      p.gatehouseTeamId,
      p.userId,
    );
    if (budget === undefined) return "member gone";
    const set = () =>
      client.setTeamMemberBudget({ teamId: p.teamId, userId: p.userId, maxBudgetInTeam: budget });
    try {
      await set();
    } catch (error) {
      if (!isLiteLLMError(error)) throw error;
      // No such team on this proxy: nothing to budget here (a key created there later
      // queues this job again).
      if (error.reason === "team_not_found") return "team absent";
      if (error.reason !== "member_not_found" && error.reason !== "not_team_member") throw error;
      if (budget === null) return "member absent";
      await client.ensureTeamMembers({
        teamId: p.teamId,
        members: [{ userId: p.userId, role: "user" }],
      });
      await set();
    }
    return budget === null ? "member budget cleared" : "member budget set";
  },
};

/** Parses the payload for its kind and runs the kind's handler. */
export async function runJob<K extends JobKind>(
  client: LiteLLMClient,
  kind: K,
  rawPayload: unknown,
  deps?: JobDeps,
): Promise<string> {
  const payload = jobPayloads[kind].parse(rawPayload) as JobPayload<K>;
  const handler: Handler<K> = handlers[kind];
  return handler(payload, { client, deps });
}
