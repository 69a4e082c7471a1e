/**
 * What a job's handler may read from Gatehouse at run time, and the repairs several handlers
 * share: whatever creates a team on a proxy creates it with its full state (limits, block),
 * read from Gatehouse when it runs, so a repair never leaves anything bare.
 */
import {
  isLiteLLMError,
  type CreateTeamInput,
  type EnsureTeamResult,
  type LiteLLMClient,
} from "@gatehouse/litellm";
import {
  gatehouseTeamIdInAnyRegion,
  proxyTeamLimitsOf,
  type TProductLimits,
} from "@gatehouse/core";
import type { KeyPushState, KeyReinstateState, KeySecretsState } from "@gatehouse/db";

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
  /** A key's current and retiring secrets (rotation), or null when it no longer exists. */
  keySecretsState?: (keyId: string) => Promise<KeySecretsState | null>;
  /** Forgets a retired secret after its proxy delete, with its audit event. */
  forgetRetiredSecret?: (keyId: string, keyToken: string) => Promise<boolean>;
  /** A key's own limits, expiry and name now, or null when it no longer exists. */
  keyPushState?: (keyId: string) => Promise<KeyPushState | null>;
  /** A member's budget in the team now (null: none; undefined: no longer a member). */
  memberBudget?: (gatehouseTeamId: string, userId: string) => Promise<number | null | undefined>;
}

export function requireDep<T>(dep: T | undefined, what: string): T {
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
export async function ensureTeamWithState(
  client: LiteLLMClient,
  team: { teamId: string; teamAlias: string },
  deps: JobDeps | undefined,
): Promise<EnsureTeamResult> {
  return client.ensureTeam({ ...team, ...(await teamStateFor(team.teamId, deps)) });
}

export function keyAbsent(error: unknown): boolean {
  return isLiteLLMError(error) && error.reason === "key_not_found";
}
