/**
 * What each job does against a region's LiteLLM proxy. Handlers repair what LiteLLM
 * reports missing (a team deleted on the proxy, an owner not yet a member) before giving
 * up, so an out-of-band change on the proxy does not strand a merge.
 */
import { isLiteLLMError, type LiteLLMClient } from "@gatehouse/litellm";
import { jobPayloads, type JobKind } from "@gatehouse/core";

export async function runJob(client: LiteLLMClient, kind: JobKind, rawPayload: unknown): Promise<string> {
  switch (kind) {
    case "litellm.ensureTeam": {
      const p = jobPayloads[kind].parse(rawPayload);
      return client.ensureTeam({ teamId: p.teamId, teamAlias: p.teamAlias });
    }
    case "litellm.addMembers": {
      const p = jobPayloads[kind].parse(rawPayload);
      return client.ensureTeamMembers({ teamId: p.teamId, members: p.members });
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
  }
}
