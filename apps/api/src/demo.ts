/**
 * Demo only: the bundled LiteLLM contract server keeps its state in memory, while the
 * embedded database persists. On every start, put the database's view of the demo region
 * (teams, key owners as members, keys under their team identity, with their blocks and
 * routes) back into the server, so merges and key deletions of the demo work after a
 * restart as they would against a real, persistent LiteLLM. Team limits and blocks go
 * through the same jobs the API queues (the seed queues them on the first start).
 */
import crypto from "node:crypto";
import { GATEHOUSE_KEY_ROUTES, litellmKeyAlias, litellmTeamId } from "@gatehouse/core";
import {
  enqueueAllTeamsState,
  findRegionByName,
  regionKeysToRehydrate,
  setKeyLitellmId,
  type Database,
} from "@gatehouse/db";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { litellmKeyToken } from "@gatehouse/litellm";

export async function rehydrateDemoLiteLLM(
  db: Database,
  server: ContractServer,
  regionName: string,
  options: { pushTeamState?: boolean } = {},
): Promise<number> {
  const region = await findRegionByName(db, regionName);
  if (!region) return 0;
  const keys = await regionKeysToRehydrate(db, region.id);
  const now = new Date().toISOString();
  for (const key of keys) {
    // Seeded keys were never created on a proxy: give them an id now (their secret is
    // never shown; demo users create their own keys to get one).
    let token = key.litellmKeyId;
    if (!token) {
      token = litellmKeyToken(`sk-demo-${crypto.randomBytes(18).toString("base64url")}`);
      await setKeyLitellmId(db, key.id, token);
    }
    const teamId = litellmTeamId(region.name, key.teamId);
    const team = server.state.teams.get(teamId) ?? {
      teamId,
      teamAlias: key.teamName,
      metadata: {},
      members: new Map(),
      createdAt: now,
    };
    server.state.teams.set(teamId, team);
    const owner = key.creatorId ?? "gatehouse-demo";
    if (!team.members.has(owner))
      team.members.set(owner, { userId: owner, userEmail: null, role: "user" });
    if (!server.state.getKey(token)) {
      server.state.putKey({
        token,
        keyName: "sk-...demo",
        keyAlias: litellmKeyAlias(teamId, key.name),
        teamId,
        userId: owner,
        metadata: { gatehouse_key_id: key.id },
        allowedRoutes: [...GATEHOUSE_KEY_ROUTES],
        blocked: key.blocked,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  // The in-memory proxy lost every team's limits and block state: push them again.
  if (options.pushTeamState ?? true) await enqueueAllTeamsState(db, region.id);
  return keys.length;
}
