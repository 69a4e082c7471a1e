/**
 * The LiteLLM side effects Gatehouse queues, with their payloads. Every handler is
 * idempotent: a job may run again after a worker dies mid-call.
 */
import { z } from "zod";

export const ZEnsureTeam = z.object({ teamId: z.string(), teamAlias: z.string() });
/**
 * Gatehouse enforces its own team roles and calls LiteLLM with the master key, so it never
 * needs LiteLLM team admins, which open-source LiteLLM refuses ("Assigning team admins is a
 * premium feature"). New jobs carry only "user"; "admin" still parses so jobs queued by an
 * older version run (the handler sends every member as "user").
 */
export const ZAddMembers = z.object({
  teamId: z.string(),
  /** For self-repair: a team missing on the proxy is created (with this alias) and the add retried. */
  teamAlias: z.string().optional(),
  members: z.array(z.object({ userId: z.string(), role: z.enum(["admin", "user"]) })),
});
export const ZMoveKey = z.object({
  keyToken: z.string(),
  teamId: z.string(),
  teamAlias: z.string(),
  keyAlias: z.string(),
  /** The key's owner on LiteLLM; must be a member of the new team (LiteLLM checks). */
  ownerUserId: z.string().nullable(),
});
export const ZDeleteKey = z.object({
  keyToken: z.string(),
  /** The alias the key holds on the proxy, so a re-created key of that name can free it. */
  keyAlias: z.string().optional(),
});
/** Sets a team's alias; the handler reads the team's current name (renames may race). */
export const ZUpdateTeam = z.object({
  teamId: z.string(),
  gatehouseTeamId: z.string(),
  teamAlias: z.string(),
});
/** Deletes a team on the proxy; LiteLLM deletes the team's keys with it. */
export const ZDeleteTeam = z.object({ teamId: z.string() });
/**
 * Re-creates a key its proxy lost, with the same secret (sealed at rest, opened by the
 * worker with the operator key), so the user's key works again unchanged.
 */
export const ZRestoreKey = z.object({
  keyToken: z.string(),
  secretSealed: z.string(),
  teamId: z.string(),
  teamAlias: z.string(),
  keyAlias: z.string(),
  ownerUserId: z.string(),
  metadata: z.record(z.string(), z.string()),
});

/**
 * Pushes a team's entitlement (budget, limits, models) to one region's LiteLLM team; the
 * handler reads the team's current entitlement, so jobs of several quick changes converge.
 */
export const ZPushEntitlement = z.object({ teamId: z.string(), gatehouseTeamId: z.string() });
/** Sets a team's blocked state on one region from its current block reasons (any: blocked). */
export const ZSyncTeamBlock = z.object({ teamId: z.string(), gatehouseTeamId: z.string() });
/** Sets a key's blocked state on its proxy from its current block reasons. */
export const ZSyncKeyBlock = z.object({ keyToken: z.string(), keyId: z.string() });
/**
 * The proxy owner (LiteLLM `user_id`) of a key whose owner left its team, between the key's
 * block and `/team/member_delete`: LiteLLM releases since pull request 17057 delete the
 * member's keys in the team on that call (by `user_id`), older ones keep them. With this
 * owner both keep the key, blocked, so every kind of proxy ends in the same state and the
 * way back (owner re-added, key transferred) needs only `/key/update` (a restore from the
 * sealed secret remains the fallback for a key the proxy lost anyway).
 */
export const LITELLM_LEFT_OWNER = "gatehouse-owner-left";
/** Sets the proxy owner of a key whose owner left to LITELLM_LEFT_OWNER (see there). */
export const ZDetachKeyOwner = z.object({ keyToken: z.string(), keyId: z.string() });
/**
 * Takes a person off a region's LiteLLM team (`/team/member_delete`) after their keys there
 * were blocked (an earlier stage of the same group). LiteLLM releases since pull request
 * 17057 also delete that member's keys in the team; older ones keep them (blocked).
 */
export const ZRemoveMember = z.object({ teamId: z.string(), userId: z.string() });
/**
 * Gives a key back its working state on its proxy after `owner_left` was lifted (the owner
 * re-added, or the key transferred): the handler reads the key now, re-creates it from its
 * sealed secret if the proxy lost it (a member_delete since pull request 17057 deletes it),
 * makes its owner a member of the team, sets the proxy's owner, then its block state.
 */
export const ZReinstateKey = z.object({ keyId: z.string() });
/**
 * Restricts a key on its proxy to the routes Gatehouse grants keys (reconcile core
 * GATEHOUSE_KEY_ROUTES): keys minted before the restriction existed may call info routes.
 */
export const ZRestrictKeyRoutes = z.object({ keyToken: z.string() });

/**
 * Rotation (keys.rotate): makes the key's current secret (sealed on its row) a LiteLLM key
 * on its proxy if it is not one yet, after moving any retiring secret's alias aside (aliases
 * are unique per proxy). `keyToken` is the secret it was queued for: a later rotation makes
 * it moot.
 */
export const ZAddKeySecret = z.object({ keyId: z.string(), keyToken: z.string() });
/**
 * Rotation: deletes a key's retiring secret on its proxy once its overlap ended (after
 * making sure the current one is there), then forgets it.
 */
export const ZRetireKeySecret = z.object({ keyId: z.string(), keyToken: z.string() });
// ---- keys (issue 26, key limits)
/**
 * Pushes a key's own limits, expiry and alias to its proxy (`/key/update`); the handler
 * reads the key's current state, so jobs of several quick changes converge.
 */
export const ZPushKeyLimits = z.object({ keyToken: z.string(), keyId: z.string() });
/**
 * Sets a member's budget inside a team on one region's proxy (`/team/member_update`
 * `max_budget_in_team`, open source); the handler reads the member's current budget.
 */
export const ZSetMemberBudget = z.object({
  teamId: z.string(),
  gatehouseTeamId: z.string(),
  userId: z.string(),
});
// ---- end keys

export const jobPayloads = {
  "litellm.ensureTeam": ZEnsureTeam,
  "litellm.addMembers": ZAddMembers,
  "litellm.moveKey": ZMoveKey,
  "litellm.deleteKey": ZDeleteKey,
  "litellm.restoreKey": ZRestoreKey,
  "litellm.updateTeam": ZUpdateTeam,
  "litellm.deleteTeam": ZDeleteTeam,
  "litellm.pushEntitlement": ZPushEntitlement,
  "litellm.syncTeamBlock": ZSyncTeamBlock,
  "litellm.syncKeyBlock": ZSyncKeyBlock,
  "litellm.detachKeyOwner": ZDetachKeyOwner,
  "litellm.removeMember": ZRemoveMember,
  "litellm.reinstateKey": ZReinstateKey,
  "litellm.restrictKeyRoutes": ZRestrictKeyRoutes,
  "litellm.addKeySecret": ZAddKeySecret,
  "litellm.retireKeySecret": ZRetireKeySecret,
  "litellm.pushKeyLimits": ZPushKeyLimits,
  "litellm.setMemberBudget": ZSetMemberBudget,
} as const;

export type JobKind = keyof typeof jobPayloads;
export type JobPayload<K extends JobKind> = z.infer<(typeof jobPayloads)[K]>;

export function isJobKind(kind: string): kind is JobKind {
  return kind in jobPayloads;
}

/**
 * Stages within one merge and region: the team exists, then its members, then keys move,
 * then the source team is deleted on the proxy (which would delete any key still in it).
 */
export const MERGE_STAGE = { ensureTeam: 0, addMembers: 1, keys: 2, cleanup: 3 } as const;
