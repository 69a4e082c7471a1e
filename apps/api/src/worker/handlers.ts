/**
 * What each job does against a region's LiteLLM proxy. Handlers repair what LiteLLM
 * reports missing (a team deleted on the proxy, an owner not yet a member) before giving
 * up, so an out-of-band change on the proxy does not strand a merge.
 */
import { isLiteLLMError, type LiteLLMClient } from "@gatehouse/litellm";
import { jobPayloads, type JobKind } from "@gatehouse/core";
import { openSecret } from "../secrets.ts";

/** What a handler may read from Gatehouse itself at run time. */
export interface JobDeps {
  /** The team's current name, or null when the team no longer exists. */
  teamName(gatehouseTeamId: string): Promise<string | null>;
  /** The operator key that opens sealed key secrets (restoring a key a proxy lost). */
  secretsKey?: Buffer | null;
}

export async function runJob(client: LiteLLMClient, kind: JobKind, rawPayload: unknown, deps?: JobDeps): Promise<string> {
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
        if (!(isLiteLLMError(error) && error.reason === "team_not_found" && p.teamAlias !== undefined)) throw error;
        await client.ensureTeam({ teamId: p.teamId, teamAlias: p.teamAlias });
        return `${await add()} after repair`;
      }
    }
    case "litellm.moveKey": {
      const p = jobPayloads[kind].parse(rawPayload);
      const move = () => client.updateKey({ key: p.keyToken, teamId: p.teamId, keyAlias: p.keyAlias });
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
          await client.ensureTeamMembers({ teamId: p.teamId, members: [{ userId: owner, role: "user" }] });
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
      if (!deps?.secretsKey) throw new Error("cannot restore a key: this worker has no GATEHOUSE_SECRETS_KEY");
      const secret = openSecret(deps.secretsKey, p.secretSealed, p.keyToken);
      await client.ensureTeam({ teamId: p.teamId, teamAlias: p.teamAlias });
      await client.ensureTeamMembers({ teamId: p.teamId, members: [{ userId: p.ownerUserId, role: "user" }] });
      await client.generateKey({ key: secret, keyAlias: p.keyAlias, teamId: p.teamId, userId: p.ownerUserId, metadata: p.metadata });
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
  }
}
