/**
 * What each job does against a region's LiteLLM proxy. Handlers repair what LiteLLM
 * reports missing (a team deleted on the proxy, an owner not yet a member) before giving
 * up, so an out-of-band change on the proxy does not strand a merge. Whatever creates a
 * team or a key on a proxy creates it with its full state (limits, block, owner, routes),
 * read from Gatehouse at run time, so a repair never leaves anything bare.
 */
import {
  isLiteLLMError,
  type CreateTeamInput,
  type EnsureTeamResult,
  type GenerateKeyInput,
  type LiteLLMClient,
} from "@gatehouse/litellm";
import {
  budgetDurationToSend,
  GATEHOUSE_KEY_ROUTES,
  gatehouseKeyIdOf,
  gatehouseKeyMetadata,
  gatehouseTeamIdInAnyRegion,
  jobPayloads,
  LITELLM_LEFT_OWNER,
  litellmKeyAlias,
  litellmTeamId,
  proxyTeamLimitsOf,
  type JobKind,
  type TProductLimits,
} from "@gatehouse/core";
import type { KeyReinstateState } from "@gatehouse/db";
import { openSecretWithAny } from "../secrets.ts";

/** What a handler may read from Gatehouse itself at run time. */
export interface JobDeps {
  /** The team's current name, or null when the team no longer exists. */
  teamName(gatehouseTeamId: string): Promise<string | null>;
  /** The keys that open sealed key secrets (restoring a key a proxy lost), current first. */
  secretsKeys?: readonly Buffer[];
  /** The team's current entitlement, or null when the team no longer exists. */
  entitlement?: (gatehouseTeamId: string) => Promise<TProductLimits | null>;
  /** Whether the team has any block reason now, or null when it no longer exists. */
  teamBlocked?: (gatehouseTeamId: string) => Promise<boolean | null>;
  /** Whether the key has any block reason now, or null when it no longer exists. */
  keyBlocked?: (keyId: string) => Promise<boolean | null>;
  /** What reinstating a key needs to know about it now, or null when it no longer exists. */
  keyReinstateState?: (keyId: string) => Promise<KeyReinstateState | null>;
}

function requireDep<T>(dep: T | undefined, what: string): T {
  if (dep === undefined)
    throw new Error(`this worker cannot run ${what} jobs (no database access given)`);
  return dep;
}

/**
 * The limits and block a LiteLLM team must be created with: the Gatehouse team's current
 * entitlement and block reasons. Nothing when the id is not a Gatehouse team's, the team
 * no longer exists, or the worker has no database access (older callers).
 */
async function teamStateFor(
  liteLLMTeamId: string,
  deps: JobDeps | undefined,
): Promise<Pick<CreateTeamInput, "limits" | "blocked">> {
  const teamId = gatehouseTeamIdInAnyRegion(liteLLMTeamId);
  if (!teamId || !deps?.entitlement || !deps.teamBlocked) return {};
  const [entitlement, blocked] = await Promise.all([
    deps.entitlement(teamId),
    deps.teamBlocked(teamId),
  ]);
  if (entitlement === null || blocked === null) return {};
  return { limits: proxyTeamLimitsOf(entitlement), blocked };
}

/** Creates the team unless it exists, with its full state when it creates it. */
async function ensureTeamWithState(
  client: LiteLLMClient,
  team: { teamId: string; teamAlias: string },
  deps: JobDeps | undefined,
): Promise<EnsureTeamResult> {
  return client.ensureTeam({ ...team, ...(await teamStateFor(team.teamId, deps)) });
}

function keyAbsent(error: unknown): boolean {
  return isLiteLLMError(error) && error.reason === "key_not_found";
}

export async function runJob(
  client: LiteLLMClient,
  kind: JobKind,
  rawPayload: unknown,
  deps?: JobDeps,
): Promise<string> {
  switch (kind) {
    case "litellm.ensureTeam": {
      const p = jobPayloads[kind].parse(rawPayload);
      return ensureTeamWithState(client, { teamId: p.teamId, teamAlias: p.teamAlias }, deps);
    }
    case "litellm.addMembers": {
      const p = jobPayloads[kind].parse(rawPayload);
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
    }
    case "litellm.moveKey": {
      const p = jobPayloads[kind].parse(rawPayload);
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
    }
    case "litellm.deleteKey": {
      const p = jobPayloads[kind].parse(rawPayload);
      return client.deleteKeysIdempotent({ keys: [p.keyToken] });
    }
    case "litellm.restoreKey": {
      const p = jobPayloads[kind].parse(rawPayload);
      // The key as Gatehouse holds it now: a restore queued before a keys.delete (waiting
      // on retries) must not bring the key back.
      const keyId = gatehouseKeyIdOf(p.metadata);
      const keyBlocked = requireDep(deps?.keyBlocked, kind);
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
      });
      // Deleted while we were creating it (keys.delete settled this job meanwhile): its
      // delete job may have run before our create, so take the key off again.
      if ((await keyBlocked(keyId!)) === null) {
        await client.deleteKeysIdempotent({ keys: [p.keyToken] });
        return "key deleted meanwhile";
      }
      return blocked ? "restored blocked" : "restored";
    }
    case "litellm.updateTeam": {
      const p = jobPayloads[kind].parse(rawPayload);
      // The name now, not the one at enqueue time: two quick renames may run in any order.
      const name = deps ? await deps.teamName(p.gatehouseTeamId) : p.teamAlias;
      if (name === null) return "team gone";
      return client.updateTeamIdempotent({ teamId: p.teamId, teamAlias: name });
    }
    case "litellm.deleteTeam": {
      const p = jobPayloads[kind].parse(rawPayload);
      return client.deleteTeamIdempotent(p.teamId);
    }
    case "litellm.pushEntitlement": {
      const p = jobPayloads[kind].parse(rawPayload);
      // Read now, not at enqueue time: an attach and a detach may run in either order.
      const entitlement = await requireDep(deps?.entitlement, kind)(p.gatehouseTeamId);
      const name = await requireDep(deps, kind).teamName(p.gatehouseTeamId);
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
    }
    case "litellm.syncTeamBlock": {
      const p = jobPayloads[kind].parse(rawPayload);
      const blocked = await requireDep(deps?.teamBlocked, kind)(p.gatehouseTeamId);
      if (blocked === null) return "team gone";
      try {
        await client.setTeamBlocked(p.teamId, blocked);
        return blocked ? "blocked" : "unblocked";
      } catch (error) {
        // No such team on this proxy: no key of it to cut off (keys.create re-checks).
        if (isLiteLLMError(error) && error.reason === "team_not_found") return "team absent";
        throw error;
      }
    }
    case "litellm.detachKeyOwner": {
      const p = jobPayloads[kind].parse(rawPayload);
      const key = await requireDep(deps?.keyReinstateState, kind)(p.keyId);
      if (key === null) return "key gone";
      // Back already (re-added, transferred): its reinstate job sets the owner.
      if (!key.reasons.includes("owner_left")) return "owner back";
      try {
        await client.updateKey({ key: p.keyToken, userId: LITELLM_LEFT_OWNER });
        return "detached";
      } catch (error) {
        if (keyAbsent(error)) return "key absent";
        throw error;
      }
    }
    case "litellm.removeMember": {
      const p = jobPayloads[kind].parse(rawPayload);
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
    }
    case "litellm.reinstateKey": {
      const p = jobPayloads[kind].parse(rawPayload);
      return reinstateKey(client, p.keyId, requireDep(deps, kind));
    }
    case "litellm.syncKeyBlock": {
      const p = jobPayloads[kind].parse(rawPayload);
      const blocked = await requireDep(deps?.keyBlocked, kind)(p.keyId);
      if (blocked === null) return "key gone";
      try {
        await client.setKeyBlocked(p.keyToken, blocked);
        return blocked ? "blocked" : "unblocked";
      } catch (error) {
        // LiteLLM: 401 token_not_found_in_db, classified as key_not_found by the client.
        if (keyAbsent(error)) return "key absent";
        throw error;
      }
    }
    case "litellm.restrictKeyRoutes": {
      const p = jobPayloads[kind].parse(rawPayload);
      try {
        await client.updateKey({ key: p.keyToken, allowedRoutes: GATEHOUSE_KEY_ROUTES });
        return "restricted";
      } catch (error) {
        if (keyAbsent(error)) return "key absent";
        throw error;
      }
    }
  }
}

/** A key the proxy lost, as it must be generated again. */
interface LostKey {
  keyToken: string;
  secretSealed: string;
  /** LiteLLM's team id and alias. */
  teamId: string;
  teamAlias: string;
  keyAlias: string;
  ownerUserId: string;
  metadata: GenerateKeyInput["metadata"];
  blocked: boolean;
}

/**
 * Generates a key the proxy lost again from its sealed secret (the same secret, so its
 * holders' calls work again) with its full state: its team (created with its limits and
 * block when missing), its owner a member of it, Gatehouse's routes and its block. LiteLLM
 * answers a secret that already exists with 200 and the request echoed (an upsert that
 * changes nothing), so `/key/info` then says what the proxy holds, and its team, alias and
 * block are corrected.
 */
async function restoreFromSecret(
  client: LiteLLMClient,
  deps: JobDeps | undefined,
  key: LostKey,
): Promise<void> {
  if (!deps?.secretsKeys?.length)
    throw new Error("cannot restore a key: this worker has no GATEHOUSE_SECRETS_KEY");
  const secret = openSecretWithAny(deps.secretsKeys, key.secretSealed, key.keyToken);
  await ensureTeamWithState(client, { teamId: key.teamId, teamAlias: key.teamAlias }, deps);
  await client.ensureTeamMembers({
    teamId: key.teamId,
    members: [{ userId: key.ownerUserId, role: "user" }],
  });
  await client.generateKey({
    key: secret,
    keyAlias: key.keyAlias,
    teamId: key.teamId,
    userId: key.ownerUserId,
    metadata: key.metadata,
    allowedRoutes: GATEHOUSE_KEY_ROUTES,
    blocked: key.blocked,
  });
  const held = await client.keyInfo(key.keyToken);
  if (held.teamId !== key.teamId || held.keyAlias !== key.keyAlias) {
    await client.updateKey({ key: key.keyToken, teamId: key.teamId, keyAlias: key.keyAlias });
  }
  if (held.blocked !== key.blocked) await client.setKeyBlocked(key.keyToken, key.blocked);
}

/**
 * Gives a key whose `owner_left` was lifted (owner re-added, key transferred) its working
 * state on the proxy, from what Gatehouse holds now:
 * - the owner is made a member of the key's LiteLLM team (a removal took them off);
 * - a key the proxy lost (deleted by a member_delete that ran before the key was detached
 *   from its owner, or by anyone) is generated again from its sealed secret, with its full
 *   state (restoreFromSecret, as reconciliation's restoreKey);
 * - the proxy's owner follows (`/key/update user_id`), then the block state is set.
 * A key that has `owner_left` again (removed again meanwhile) is left to that removal's
 * jobs, and the state is read once more at the end, so a removal that committed while this
 * ran (its jobs may have run before the restore) is applied again here; a key deleted
 * meanwhile is taken off the proxy again.
 */
async function reinstateKey(client: LiteLLMClient, keyId: string, deps: JobDeps): Promise<string> {
  const read = requireDep(deps.keyReinstateState, "litellm.reinstateKey");
  const key = await read(keyId);
  if (key === null) return "key gone";
  if (key.keyToken === null) return "key never reached its proxy";
  // Only keys of a user reach here (`owner_left` is set on keys a user created).
  const owner = key.ownerUserId;
  if (owner === null) return "key has no owner";
  if (key.reasons.includes("owner_left") || !key.ownerIsMember) return "owner not a member";
  const teamId = litellmTeamId(key.regionName, key.teamId);
  const keyAlias = litellmKeyAlias(teamId, key.name);
  await ensureTeamWithState(client, { teamId, teamAlias: key.teamName }, deps);
  await client.ensureTeamMembers({ teamId, members: [{ userId: owner, role: "user" }] });
  const info = await client.keyInfoIfPresent(key.keyToken);
  if (info === null) {
    if (key.secretSealed === null)
      throw new Error("the proxy lost this key and its secret was not kept: it cannot be restored");
    await restoreFromSecret(client, deps, {
      keyToken: key.keyToken,
      secretSealed: key.secretSealed,
      teamId,
      teamAlias: key.teamName,
      keyAlias,
      ownerUserId: owner,
      metadata: gatehouseKeyMetadata(key.keyId, key.teamId),
      blocked: key.reasons.length > 0,
    });
  } else if (info.userId !== owner) {
    await client.updateKey({ key: key.keyToken, userId: owner });
  }
  const restored = info === null;
  // The block state as it is now: lifted `owner_left` may leave other reasons (manual).
  const now = await read(keyId);
  if (now === null) {
    // Deleted while this ran: its delete job may have run before our restore.
    if (restored) await client.deleteKeysIdempotent({ keys: [key.keyToken] });
    return "key gone";
  }
  const blocked = now.reasons.length > 0;
  await client.setKeyBlocked(key.keyToken, blocked);
  if (now.reasons.includes("owner_left") && !now.ownerIsMember) {
    // Removed again while this ran: finish that removal's work here, in its order.
    await client.updateKey({ key: key.keyToken, userId: LITELLM_LEFT_OWNER });
    await client.removeTeamMemberIdempotent({ teamId, userId: owner });
    return "owner left again";
  }
  return `${restored ? "restored" : "present"}, ${blocked ? "blocked" : "unblocked"}`;
}
