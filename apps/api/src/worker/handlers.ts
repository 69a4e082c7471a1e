/**
 * What each job does against a region's LiteLLM proxy. Handlers repair what LiteLLM
 * reports missing (a team deleted on the proxy, an owner not yet a member) before giving
 * up, so an out-of-band change on the proxy does not strand a merge.
 */
import { isLiteLLMError, type LiteLLMClient } from "@gatehouse/litellm";
import { jobPayloads, litellmTeamLimits, type JobKind, type TProductLimits } from "@gatehouse/core";
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
}

function requireDep<T>(dep: T | undefined, what: string): T {
  if (dep === undefined)
    throw new Error(`this worker cannot run ${what} jobs (no database access given)`);
  return dep;
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
      return client.ensureTeam({ teamId: p.teamId, teamAlias: p.teamAlias });
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
        await client.ensureTeam({ teamId: p.teamId, teamAlias: p.teamAlias });
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
          await client.ensureTeam({ teamId: p.teamId, teamAlias: p.teamAlias });
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
      // Already back (an earlier attempt got through, or someone restored it): done. If it
      // came back in another team, the next reconciliation reports that on its own.
      const present = await client.keyInfo(p.keyToken).then(
        () => true,
        (error: unknown) => {
          if (isLiteLLMError(error) && error.reason === "key_not_found") return false;
          throw error;
        },
      );
      if (present) return "already present";
      if (!deps?.secretsKeys?.length)
        throw new Error("cannot restore a key: this worker has no GATEHOUSE_SECRETS_KEY");
      const secret = openSecretWithAny(deps.secretsKeys, p.secretSealed, p.keyToken);
      await client.ensureTeam({ teamId: p.teamId, teamAlias: p.teamAlias });
      await client.ensureTeamMembers({
        teamId: p.teamId,
        members: [{ userId: p.ownerUserId, role: "user" }],
      });
      await client.generateKey({
        key: secret,
        keyAlias: p.keyAlias,
        teamId: p.teamId,
        userId: p.ownerUserId,
        metadata: p.metadata,
      });
      return "restored";
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
      const limits = litellmTeamLimits(entitlement);
      const push = () =>
        client.updateTeamLimits({
          teamId: p.teamId,
          maxBudget: limits.max_budget,
          budgetDuration: limits.budget_duration,
          tpmLimit: limits.tpm_limit,
          rpmLimit: limits.rpm_limit,
          models: limits.models,
        });
      // The team must exist (a key created later then finds its limits in place): when the
      // proxy does not know it, create it and push again. Update first: the team is there
      // in the usual case, and a create would cost a call every time.
      try {
        await push();
      } catch (error) {
        if (!(isLiteLLMError(error) && error.reason === "team_not_found")) throw error;
        await client.ensureTeam({ teamId: p.teamId, teamAlias: name });
        await push();
        return "pushed after creating the team";
      }
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
    case "litellm.syncKeyBlock": {
      const p = jobPayloads[kind].parse(rawPayload);
      const blocked = await requireDep(deps?.keyBlocked, kind)(p.keyId);
      if (blocked === null) return "key gone";
      try {
        await client.setKeyBlocked(p.keyToken, blocked);
        return blocked ? "blocked" : "unblocked";
      } catch (error) {
        if (isLiteLLMError(error) && error.reason === "key_not_found") return "key absent";
        throw error;
      }
    }
  }
}
