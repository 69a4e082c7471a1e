/**
 * People leaving teams, and their keys: a removal (teams.removeMember, or orgs.removeMember
 * for every team of the organization) blocks the keys the person created in those teams
 * (reason `owner_left`) and queues, per team and region, the proxy work in order: each key's
 * block, then its proxy owner set to core's LITELLM_LEFT_OWNER, then `/team/member_delete`
 * (since LiteLLM pull request 17057 that call deletes the member's keys in the team, by
 * owner: detached first, they survive on every kind of proxy, blocked). The way back (the
 * person re-added, or a key transferred) lifts `owner_left` and queues
 * `litellm.reinstateKey`, which gives the key its owner back (or restores it from its
 * sealed secret if the proxy lost it).
 *
 * Callers hold the team rows FOR UPDATE (lockTeam, in team id order): removals, transfers
 * and keys.create of a team then run one after the other, so a key created by someone
 * being removed is either seen (and blocked) by the removal, or refused by keys.create.
 */
import { litellmTeamIdSql } from "@gatehouse/core";
import { Prisma } from "../generated/prisma/client.ts";
import { AUDIT_COLUMNS, type AuditRow } from "../audit/index.ts";

/** A left owner's key's jobs on its proxy, in order: its block, then its owner detached. */
const KEY_STAGES = Prisma.sql`(VALUES ('litellm.syncKeyBlock', 0), ('litellm.detachKeyOwner', 1))`;

/** The team's ADMIN and member counts, for core's last-admin rule (read under the lock). */
export async function teamAdminCounts(
  tx: Prisma.TransactionClient,
  teamId: string,
): Promise<{ admins: number; members: number }> {
  const [row] = await tx.$queryRaw<{ admins: number; members: number }[]>`
    SELECT count(*) FILTER (WHERE role = 'ADMIN')::int AS admins, count(*)::int AS members
      FROM team_members WHERE team_id = ${teamId}::uuid`;
  return row ?? { admins: 0, members: 0 };
}

/** The teams of an organization `userId` is a member of, with their role, by team id. */
export async function orgTeamMemberships(
  tx: Prisma.TransactionClient,
  organizationId: string,
  userId: string,
): Promise<Array<{ teamId: string; name: string; role: string }>> {
  const rows = await tx.$queryRaw<{ team_id: string; name: string; role: string }[]>`
    SELECT t.id::text AS team_id, t.name, tm.role::text AS role
      FROM team_members tm JOIN teams t ON t.id = tm.team_id
     WHERE t.organization_id = ${organizationId}::uuid AND tm.user_id = ${userId}::uuid
     ORDER BY t.id`;
  return rows.map((r) => ({ teamId: r.team_id, name: r.name, role: r.role }));
}

/**
 * Removes `userId` from `teamIds` (the caller checked and locked them): the memberships go,
 * every key the person created in those teams gets `owner_left`, and per team and region
 * a group of jobs is queued: stage 0 each key's block state, stage 1 each key's proxy owner
 * detached, stage 2 `/team/member_delete`.
 * Every region gets the member_delete (Gatehouse does not record where a member was added;
 * where the proxy has no such member or team the job is done at once). One statement, which
 * also inserts `audit` when given (its details get `blockedKeys`, the keys blocked here).
 */
export async function leaveTeams(
  tx: Prisma.TransactionClient,
  change: { teamIds: readonly string[]; userId: string; now: Date },
  audit?: AuditRow,
): Promise<{ memberships: number; blockedKeys: number; keys: number }> {
  if (change.teamIds.length === 0) return { memberships: 0, blockedKeys: 0, keys: 0 };
  const teamIds = [...change.teamIds];
  const event = audit
    ? Prisma.sql`,
         ev AS (
           INSERT INTO audit_events (${Prisma.raw(AUDIT_COLUMNS)})
           VALUES (${audit.actorUserId}::uuid, ${audit.actorServiceTokenId}::uuid, ${audit.action},
                   ${audit.targetType}, ${audit.organizationId}::uuid,
                   ${JSON.stringify(audit.details)}::jsonb
                     || jsonb_build_object('blockedKeys', (SELECT count(*) FROM blk)),
                   ${audit.requestId}, ${audit.createdAt}::timestamptz, ${audit.targetId}))`
    : Prisma.empty;
  const [row] = await tx.$queryRaw<{ memberships: number; blocked: number; keys: number }[]>`
    WITH g AS MATERIALIZED (SELECT gen_random_uuid()::text AS id),
         del AS (
           DELETE FROM team_members
            WHERE team_id = ANY (${teamIds}::uuid[]) AND user_id = ${change.userId}::uuid
           RETURNING team_id),
         k AS MATERIALIZED (
           SELECT id, team_id, region_id, litellm_key_id FROM api_keys
            WHERE team_id = ANY (${teamIds}::uuid[]) AND creator_id = ${change.userId}::uuid),
         blk AS (
           INSERT INTO api_key_blocks (api_key_id, reason, created_at)
           SELECT id, 'owner_left', ${change.now} FROM k
           ON CONFLICT DO NOTHING RETURNING 1),
         key_jobs AS (
           INSERT INTO jobs (kind, payload, region_id, api_key_id, group_key, stage)
           SELECT s.kind,
                  jsonb_build_object('keyToken', k.litellm_key_id, 'keyId', k.id::text),
                  k.region_id, k.id,
                  'leave:' || k.team_id::text || ':' || ${change.userId}::text || ':' || k.region_id::text || ':' || g.id,
                  s.stage
             FROM k, g, ${KEY_STAGES} AS s(kind, stage) WHERE k.litellm_key_id IS NOT NULL
           RETURNING 1),
         member_jobs AS (
           INSERT INTO jobs (kind, payload, region_id, group_key, stage)
           SELECT 'litellm.removeMember',
                  jsonb_build_object('teamId', ${Prisma.raw(litellmTeamIdSql("r.name", "t.id"))},
                                     'userId', ${change.userId}::text),
                  r.id,
                  'leave:' || t.id::text || ':' || ${change.userId}::text || ':' || r.id::text || ':' || g.id,
                  2
             FROM unnest(${teamIds}::uuid[]) AS t(id) CROSS JOIN regions r CROSS JOIN g
           RETURNING 1)${event}
    SELECT (SELECT count(*) FROM del)::int AS memberships,
           (SELECT count(*) FROM blk)::int AS blocked,
           (SELECT count(*) FROM k)::int AS keys,
           (SELECT count(*) FROM key_jobs)::int + (SELECT count(*) FROM member_jobs)::int AS jobs`;
  return {
    memberships: row?.memberships ?? 0,
    blockedKeys: row?.blocked ?? 0,
    keys: row?.keys ?? 0,
  };
}

export type TransferKeyResult =
  | {
      outcome: "transferred";
      teamId: string;
      organizationId: string | null;
      fromUserId: string | null;
      /** The key's block reasons after the transfer. */
      reasons: string[];
    }
  | { outcome: "keyNotFound" }
  /** `toUserId` is not an active member of the key's team. */
  | { outcome: "notMember" }
  /**
   * The key is blocked `owner_disabled` (a system admin disabled its owner) and the caller
   * may not lift that: nothing changed.
   */
  | { outcome: "ownerDisabled" };

/**
 * Hands a key to `toUserId`, a current active member of its team: the key's owner
 * (creator) changes, the reasons that were about the old owner (`owner_left`,
 * `owner_disabled`) are lifted, and `litellm.reinstateKey` is queued (the proxy's owner
 * follows; a key the proxy lost is restored). Locks the key's team first (see header),
 * then the key, and re-reads the key's team under those locks.
 *
 * `owner_disabled` was placed by a system admin, so only one may hand such a key over
 * (`mayLiftOwnerDisabled`). It is read under the key's row lock: a concurrent disable
 * inserts its block row with a key-share lock on the key, so it either committed before
 * this read (and is seen) or waits for this transaction and then lands on the transferred
 * key (blocked, the safe side).
 */
export async function transferKey(
  tx: Prisma.TransactionClient,
  change: { keyId: string; teamId: string; toUserId: string; mayLiftOwnerDisabled: boolean },
): Promise<TransferKeyResult> {
  const [team] = await tx.$queryRaw<{ organization_id: string | null }[]>`
    SELECT organization_id::text FROM teams WHERE id = ${change.teamId}::uuid FOR UPDATE`;
  if (!team) return { outcome: "keyNotFound" };
  const [key] = await tx.$queryRaw<{ creator_id: string | null; region_id: string }[]>`
    SELECT creator_id::text, region_id::text FROM api_keys
     WHERE id = ${change.keyId}::uuid AND team_id = ${change.teamId}::uuid FOR UPDATE`;
  if (!key) return { outcome: "keyNotFound" };
  // A statement of its own, after the lock: its snapshot sees a block committed while this
  // transaction waited for the key.
  const [facts] = await tx.$queryRaw<{ member: boolean; owner_disabled: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM team_members tm JOIN users u ON u.id = tm.user_id
                    WHERE tm.team_id = ${change.teamId}::uuid AND tm.user_id = ${change.toUserId}::uuid
                      AND u.is_active) AS member,
           EXISTS (SELECT 1 FROM api_key_blocks b
                    WHERE b.api_key_id = ${change.keyId}::uuid AND b.reason = 'owner_disabled') AS owner_disabled`;
  if (facts?.owner_disabled && !change.mayLiftOwnerDisabled) return { outcome: "ownerDisabled" };
  if (!facts?.member) return { outcome: "notMember" };
  await tx.$executeRaw`UPDATE api_keys SET creator_id = ${change.toUserId}::uuid, updated_at = now()
     WHERE id = ${change.keyId}::uuid`;
  await tx.$executeRaw`DELETE FROM api_key_blocks
     WHERE api_key_id = ${change.keyId}::uuid AND reason IN ('owner_left', 'owner_disabled')`;
  await tx.$executeRaw`INSERT INTO jobs (kind, payload, region_id, api_key_id)
     VALUES ('litellm.reinstateKey', jsonb_build_object('keyId', ${change.keyId}::text),
             ${key.region_id}::uuid, ${change.keyId}::uuid)`;
  const reasons = await tx.$queryRaw<{ reason: string }[]>`
    SELECT reason::text FROM api_key_blocks WHERE api_key_id = ${change.keyId}::uuid ORDER BY reason`;
  return {
    outcome: "transferred",
    teamId: change.teamId,
    organizationId: team.organization_id,
    fromUserId: key.creator_id,
    reasons: reasons.map((r) => r.reason),
  };
}

/** What `litellm.reinstateKey` needs to know about a key now (null: the key is gone). */
export interface KeyReinstateState {
  keyId: string;
  keyToken: string | null;
  secretSealed: string | null;
  name: string;
  teamId: string;
  teamName: string;
  regionName: string;
  ownerUserId: string | null;
  /** The owner is (still) a member of the key's team. */
  ownerIsMember: boolean;
  reasons: string[];
}

export async function keyReinstateState(
  db: { prisma: Pick<Prisma.TransactionClient, "$queryRaw"> },
  keyId: string,
): Promise<KeyReinstateState | null> {
  const [row] = await db.prisma.$queryRaw<
    Array<{
      litellm_key_id: string | null;
      secret_sealed: string | null;
      name: string;
      team_id: string;
      team_name: string;
      region_name: string;
      creator_id: string | null;
      owner_is_member: boolean;
      reasons: string[];
    }>
  >`SELECT k.litellm_key_id, k.secret_sealed, k.name, k.team_id::text, t.name AS team_name,
           r.name AS region_name, k.creator_id::text,
           EXISTS (SELECT 1 FROM team_members tm
                    WHERE tm.team_id = k.team_id AND tm.user_id = k.creator_id) AS owner_is_member,
           ARRAY(SELECT b.reason::text FROM api_key_blocks b WHERE b.api_key_id = k.id ORDER BY b.reason) AS reasons
      FROM api_keys k JOIN teams t ON t.id = k.team_id JOIN regions r ON r.id = k.region_id
     WHERE k.id = ${keyId}::uuid`;
  if (!row) return null;
  return {
    keyId,
    keyToken: row.litellm_key_id,
    secretSealed: row.secret_sealed,
    name: row.name,
    teamId: row.team_id,
    teamName: row.team_name,
    regionName: row.region_name,
    ownerUserId: row.creator_id,
    ownerIsMember: row.owner_is_member,
    reasons: row.reasons,
  };
}

/**
 * After keys.create made a key on its proxy: if the key got a block reason meanwhile (its
 * creator removed from the team, or disabled, after the key's row committed and before the
 * proxy call), the jobs that ran for it found no key on the proxy; queue them again, in
 * the removal's order (block, then `/team/member_delete` when the creator left the team).
 * One statement, a no-op for an unblocked key. Returns the jobs queued.
 */
export async function requeueBlockedNewKey(
  db: Pick<Prisma.TransactionClient, "$queryRaw">,
  keyId: string,
): Promise<number> {
  const [row] = await db.$queryRaw<{ jobs: number }[]>`
    WITH g AS MATERIALIZED (SELECT gen_random_uuid()::text AS id),
         k AS MATERIALIZED (
           SELECT k.id, k.litellm_key_id, k.region_id, k.team_id, k.creator_id, r.name AS region_name,
                  EXISTS (SELECT 1 FROM api_key_blocks b
                           WHERE b.api_key_id = k.id AND b.reason = 'owner_left') AS owner_left
             FROM api_keys k JOIN regions r ON r.id = k.region_id
            WHERE k.id = ${keyId}::uuid AND k.litellm_key_id IS NOT NULL
              AND EXISTS (SELECT 1 FROM api_key_blocks b WHERE b.api_key_id = k.id)),
         key_jobs AS (
           INSERT INTO jobs (kind, payload, region_id, api_key_id, group_key, stage)
           SELECT s.kind,
                  jsonb_build_object('keyToken', k.litellm_key_id, 'keyId', k.id::text),
                  k.region_id, k.id, 'late:' || k.id::text || ':' || g.id, s.stage
             FROM k, g, ${KEY_STAGES} AS s(kind, stage)
            WHERE s.stage = 0 OR k.owner_left
           RETURNING 1),
         member_jobs AS (
           INSERT INTO jobs (kind, payload, region_id, group_key, stage)
           SELECT 'litellm.removeMember',
                  jsonb_build_object('teamId', ${Prisma.raw(litellmTeamIdSql("k.region_name", "k.team_id"))},
                                     'userId', k.creator_id::text),
                  k.region_id, 'late:' || k.id::text || ':' || g.id, 2
             FROM k, g
            WHERE k.owner_left AND k.creator_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM team_members tm
                               WHERE tm.team_id = k.team_id AND tm.user_id = k.creator_id)
           RETURNING 1)
    SELECT (SELECT count(*) FROM key_jobs)::int + (SELECT count(*) FROM member_jobs)::int AS jobs`;
  return row?.jobs ?? 0;
}
