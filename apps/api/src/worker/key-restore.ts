/**
 * Putting a key back on its proxy: re-created from its sealed secret when the proxy lost it
 * (reconciliation's restoreKey), and the way back of a key whose owner left (reinstateKey).
 */
import type { GenerateKeyInput, LiteLLMClient } from "@gatehouse/litellm";
import {
  GATEHOUSE_KEY_ROUTES,
  gatehouseKeyMetadata,
  LITELLM_LEFT_OWNER,
  litellmKeyAlias,
  litellmTeamId,
} from "@gatehouse/core";
import { openSecretWithAny } from "../secrets.ts";
import { ensureTeamWithState, requireDep, type JobDeps } from "./job-deps.ts";
import { keyOwnLimits } from "./key-own-limits.ts";

/** A key the proxy lost, as it must be generated again. */
export interface LostKey {
  keyToken: string;
  secretSealed: string;
  /** LiteLLM's team id and alias. */
  teamId: string;
  teamAlias: string;
  keyAlias: string;
  ownerUserId: string;
  metadata: GenerateKeyInput["metadata"];
  blocked: boolean;
  /** Gatehouse's key id (its own limits and expiry are read by it); null: unknown. */
  keyId: string | null;
}

/**
 * Generates a key the proxy lost again from its sealed secret (the same secret, so its
 * holders' calls work again) with its full state: its team (created with its limits and
 * block when missing), its owner a member of it, Gatehouse's routes and its block. LiteLLM
 * answers a secret that already exists with 200 and the request echoed (an upsert that
 * changes nothing), so `/key/info` then says what the proxy holds, and its team, alias and
 * block are corrected.
 */
export async function restoreFromSecret(
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
    ...(deps && key.keyId !== null ? await keyOwnLimits(deps, key.keyId) : {}),
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
export async function reinstateKey(
  client: LiteLLMClient,
  keyId: string,
  deps: JobDeps,
): Promise<string> {
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
      keyId: key.keyId,
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
