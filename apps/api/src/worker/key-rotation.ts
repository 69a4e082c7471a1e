/**
 * The proxy side of a key rotation (keys.rotate, scheduled rotation). The key's current
 * secret is on its row (sealed), its previous ones in api_key_secrets until their overlap
 * ends; these jobs make the proxy follow, each idempotent and reading the state when it
 * runs:
 * - `litellm.addKeySecret`: the current secret becomes a LiteLLM key if it is not one yet
 *   (generate-if-absent by token), with the key's alias (the retiring one steps aside to its
 *   own alias first: aliases are unique per proxy), team, owner, routes, block, and the
 *   key's own limits and expiry (Gatehouse's record; the previous secret's on the proxy
 *   when the record cannot be read);
 * - `litellm.retireKeySecret`: first the same "current secret is there" (so there is never
 *   a moment with neither secret working), then delete-if-present of the old one, then its
 *   row goes with a `key.secret_retired` audit event.
 * Never `/key/regenerate`: an Enterprise feature open-source proxies refuse.
 */
import {
  isLiteLLMError,
  type GenerateKeyInput,
  type KeyInfo,
  type LiteLLMClient,
} from "@gatehouse/litellm";
import {
  GATEHOUSE_KEY_ROUTES,
  gatehouseKeyMetadata,
  LITELLM_LEFT_OWNER,
  litellmKeyAlias,
  litellmTeamId,
  retiringKeyAlias,
  type JobPayload,
} from "@gatehouse/core";
import type { KeySecretsState } from "@gatehouse/db";
import { openSecretWithAny } from "../secrets.ts";
import { ensureTeamWithState, requireDep, type JobDeps } from "./job-deps.ts";
import { keyOwnLimits } from "./key-own-limits.ts";

/**
 * Makes the key's current secret a LiteLLM key on `client`'s proxy unless it is one
 * already. Returns a short outcome for the log.
 */
export async function ensureCurrentSecret(
  client: LiteLLMClient,
  deps: JobDeps,
  key: KeySecretsState,
): Promise<string> {
  if (key.keyToken === null) return "never on its proxy";
  if ((await client.keyInfoIfPresent(key.keyToken)) !== null) return "present";
  if (key.secretSealed === null)
    throw new Error("the key's current secret was not kept sealed: it cannot be placed");
  if (!deps.secretsKeys?.length)
    throw new Error("cannot place a rotated secret: this worker has no GATEHOUSE_SECRETS_KEY");
  const secret = openSecretWithAny(deps.secretsKeys, key.secretSealed, key.keyToken);
  const teamId = litellmTeamId(key.regionName, key.teamId);
  const keyAlias = litellmKeyAlias(teamId, key.name);
  // The previous secret: steps aside from the alias, and lends its owner and own limits.
  let previous: KeyInfo | null = null;
  for (const token of key.retiringTokens) {
    const info = await client.keyInfoIfPresent(token);
    if (info === null) continue;
    previous ??= info;
    if (info.keyAlias === keyAlias)
      await client.updateKey({ key: token, keyAlias: retiringKeyAlias(keyAlias, token) });
  }
  const owner = previous?.userId ?? key.creatorId ?? LITELLM_LEFT_OWNER;
  await ensureTeamWithState(client, { teamId, teamAlias: key.teamName }, deps);
  if (owner !== LITELLM_LEFT_OWNER)
    await client.ensureTeamMembers({ teamId, members: [{ userId: owner, role: "user" }] });
  const input: GenerateKeyInput = {
    key: secret,
    keyAlias,
    teamId,
    userId: owner,
    metadata: gatehouseKeyMetadata(key.keyId, key.teamId),
    allowedRoutes: GATEHOUSE_KEY_ROUTES,
    blocked: key.reasons.length > 0,
    ...(await keyOwnLimits(deps, key.keyId, previous)),
  };
  try {
    await client.generateKey(input);
  } catch (error) {
    // Placed meanwhile by the other path (keys.rotate inline, or this job's twin): the
    // alias is the new secret's own.
    if (
      isLiteLLMError(error) &&
      error.reason === "alias_taken" &&
      (await client.keyInfoIfPresent(key.keyToken)) !== null
    )
      return "present";
    throw error;
  }
  return "created";
}

export async function addKeySecret(
  client: LiteLLMClient,
  p: JobPayload<"litellm.addKeySecret">,
  deps: JobDeps | undefined,
): Promise<string> {
  const read = requireDep(deps?.keySecretsState, "litellm.addKeySecret");
  const key = await read(p.keyId);
  if (key === null) {
    // Deleted before this ran: its delete took the current token; this one must not linger.
    await client.deleteKeysIdempotent({ keys: [p.keyToken] });
    return "key gone";
  }
  if (key.keyToken !== p.keyToken) return "superseded by a later rotation";
  const outcome = await ensureCurrentSecret(client, deps!, key);
  const now = await read(p.keyId);
  if (now === null) {
    // Deleted while we created it: its delete job may have run before our create.
    await client.deleteKeysIdempotent({ keys: [p.keyToken] });
    return "key deleted meanwhile";
  }
  // A block placed while this ran reached the old secret only, maybe: set it on this one.
  if (now.reasons.length !== key.reasons.length)
    await client.setKeyBlocked(p.keyToken, now.reasons.length > 0);
  return outcome;
}

export async function retireKeySecret(
  client: LiteLLMClient,
  p: JobPayload<"litellm.retireKeySecret">,
  deps: JobDeps | undefined,
): Promise<string> {
  const read = requireDep(deps?.keySecretsState, "litellm.retireKeySecret");
  const forget = requireDep(deps?.forgetRetiredSecret, "litellm.retireKeySecret");
  const key = await read(p.keyId);
  if (key !== null && key.keyToken === p.keyToken) return "is the current secret";
  // Never neither: the new secret is on the proxy before the old one goes.
  if (key !== null) await ensureCurrentSecret(client, deps!, key);
  const deleted = await client.deleteKeysIdempotent({ keys: [p.keyToken] });
  await forget(p.keyId, p.keyToken);
  return `retired (${deleted})`;
}

/** Every LiteLLM token of a key a block or owner change must reach: current and retiring. */
export async function tokensOfKey(
  deps: JobDeps | undefined,
  keyId: string,
  queuedFor: string,
): Promise<string[]> {
  const key = deps?.keySecretsState ? await deps.keySecretsState(keyId) : null;
  if (key === null) return [queuedFor];
  return [...new Set([queuedFor, ...(key.keyToken ? [key.keyToken] : []), ...key.retiringTokens])];
}
