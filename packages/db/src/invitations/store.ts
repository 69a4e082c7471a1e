/**
 * Invitations (invitations.*): creating, listing, renewing, revoking and accepting them.
 * Tokens arrive here already hashed. "Pending" is: not accepted, not revoked; the partial
 * unique index invitations_pending_key keeps one per (email, organization, team).
 */
import { conflict, type OrgRole, type TeamRole } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export interface InvitationRecord {
  id: string;
  email: string;
  organization: { id: string; name: string } | null;
  orgRole: OrgRole | null;
  team: { id: string; name: string } | null;
  teamRole: TeamRole | null;
  invitedBy: { id: string; name: string } | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const recordSelect = {
  id: true,
  email: true,
  orgRole: true,
  teamRole: true,
  createdAt: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  organization: { select: { id: true, name: true } },
  team: { select: { id: true, name: true } },
  invitedBy: { select: { id: true, name: true } },
} as const;

export interface NewInvitation {
  email: string;
  organizationId: string | null;
  orgRole: OrgRole | null;
  teamId: string | null;
  teamRole: TeamRole | null;
  tokenHash: string;
  invitedById: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Inserts a pending invitation. An expired pending one for the same (email, organization,
 * team) is revoked first (it is replaced); a live one is a CONFLICT on `email` (the caller
 * resends it instead). The partial unique index settles two concurrent creates.
 */
export async function insertInvitation(
  tx: Tx,
  invitation: NewInvitation,
): Promise<InvitationRecord> {
  const same = {
    email: invitation.email,
    organizationId: invitation.organizationId,
    teamId: invitation.teamId,
    acceptedAt: null,
    revokedAt: null,
  };
  await tx.invitation.updateMany({
    where: { ...same, expiresAt: { lte: invitation.createdAt } },
    data: { revokedAt: invitation.createdAt },
  });
  if (await tx.invitation.findFirst({ where: same, select: { id: true } })) {
    throw conflict("This person already has a pending invitation here; resend it instead", {
      field: "email",
    });
  }
  return tx.invitation.create({ data: invitation, select: recordSelect });
}

export function findInvitation(
  db: Pick<Database, "prisma"> | { prisma: Tx },
  invitationId: string,
): Promise<InvitationRecord | null> {
  return db.prisma.invitation.findUnique({ where: { id: invitationId }, select: recordSelect });
}

/** The invitation of a token hash (accept's error messages need no more than that it exists). */
export function findInvitationByTokenHash(
  tx: Tx,
  tokenHash: string,
): Promise<(InvitationRecord & { organizationId: string | null; teamId: string | null }) | null> {
  return tx.invitation.findUnique({
    where: { tokenHash },
    select: { ...recordSelect, organizationId: true, teamId: true },
  });
}

/** Which invitations a listing covers (the caller's rights decide; see invitations.list). */
export type InvitationListScope =
  { organizationId: string } | { teamId: string } | { invitedById: string } | { all: true };

/**
 * Not accepted and not revoked invitations of a scope, newest first, keyset-paged on
 * (created_at, id). Expired ones are listed too (the caller shows them as expired).
 */
export function listPendingInvitations(
  db: Pick<Database, "prisma">,
  scope: InvitationListScope,
  page: { limit: number; after?: { createdAt: Date; id: string } | undefined },
): Promise<InvitationRecord[]> {
  const scoped =
    "organizationId" in scope
      ? { organizationId: scope.organizationId }
      : "teamId" in scope
        ? { teamId: scope.teamId }
        : "invitedById" in scope
          ? { invitedById: scope.invitedById }
          : {};
  const after = page.after;
  return db.prisma.invitation.findMany({
    where: {
      ...scoped,
      acceptedAt: null,
      revokedAt: null,
      ...(after
        ? {
            OR: [
              { createdAt: { lt: after.createdAt } },
              { createdAt: after.createdAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit,
    select: recordSelect,
  });
}

/**
 * Resend: a new token and expiry for a pending invitation (the old link stops working at
 * once). Null when it is no longer pending.
 */
export async function renewInvitation(
  tx: Tx,
  invitationId: string,
  renewal: { tokenHash: string; expiresAt: Date },
): Promise<InvitationRecord | null> {
  const { count } = await tx.invitation.updateMany({
    where: { id: invitationId, acceptedAt: null, revokedAt: null },
    data: renewal,
  });
  return count === 1 ? findInvitation({ prisma: tx }, invitationId) : null;
}

/** Revokes a pending invitation; false when it was no longer pending. */
export async function revokeInvitation(tx: Tx, invitationId: string, now: Date): Promise<boolean> {
  const { count } = await tx.invitation.updateMany({
    where: { id: invitationId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

export interface ClaimedInvitation {
  id: string;
  email: string;
  organizationId: string | null;
  orgRole: OrgRole | null;
  teamId: string | null;
  teamRole: TeamRole | null;
}

/**
 * Marks a usable invitation (this token, not accepted, not revoked, not expired) accepted,
 * in one conditional UPDATE: of two concurrent accepts exactly one gets the row, the other
 * null (it waits on the row lock, then sees accepted_at set).
 */
export async function claimInvitation(
  tx: Tx,
  tokenHash: string,
  now: Date,
): Promise<ClaimedInvitation | null> {
  const rows = await tx.$queryRaw<ClaimedInvitation[]>`
    UPDATE invitations SET accepted_at = ${now}
     WHERE token_hash = ${tokenHash} AND accepted_at IS NULL AND revoked_at IS NULL
       AND expires_at > ${now}
    RETURNING id::text, email, organization_id::text AS "organizationId",
              org_role::text AS "orgRole", team_id::text AS "teamId", team_role::text AS "teamRole"`;
  return rows[0] ?? null;
}

export async function recordInvitationUser(
  tx: Tx,
  invitationId: string,
  userId: string,
): Promise<void> {
  await tx.invitation.update({ where: { id: invitationId }, data: { acceptedUserId: userId } });
}

/** A user's role in a team (null: not a member), read before an invitation raises it. */
export async function findTeamRole(
  tx: Tx,
  teamId: string,
  userId: string,
): Promise<TeamRole | null> {
  const member = await tx.teamMember.findUnique({
    where: { teamId_userId: { teamId, userId } },
    select: { role: true },
  });
  return member?.role ?? null;
}

/** Adds (or sets the role of) a team membership, made by hand (an invitation is one). */
export async function putTeamMember(
  tx: Tx,
  member: { teamId: string; userId: string; role: TeamRole; now: Date },
): Promise<void> {
  await tx.teamMember.upsert({
    where: { teamId_userId: { teamId: member.teamId, userId: member.userId } },
    create: {
      teamId: member.teamId,
      userId: member.userId,
      role: member.role,
      createdAt: member.now,
    },
    update: { role: member.role },
  });
}

/** An organization's name (null: no such organization). */
export async function organizationName(tx: Tx, organizationId: string): Promise<string | null> {
  const org = await tx.organization.findUnique({
    where: { id: organizationId },
    select: { name: true },
  });
  return org?.name ?? null;
}

/** The account an invitation's email already has, with what accepting must check. */
export async function findInvitedAccount(
  tx: Tx,
  email: string,
): Promise<{
  id: string;
  isActive: boolean;
  isSystemAdmin: boolean;
  passwordResetRequired: boolean;
  hasPassword: boolean;
} | null> {
  const user = await tx.user.findUnique({
    where: { email },
    select: {
      id: true,
      isActive: true,
      isSystemAdmin: true,
      passwordResetRequired: true,
      passwordHash: true,
    },
  });
  if (!user) return null;
  const { passwordHash, ...rest } = user;
  return { ...rest, hasPassword: passwordHash !== null };
}

/**
 * Whether the organization an invitation leads into (its own, or its team's) signs its
 * members in by single sign-on only (orgs.setSsoEnforced).
 */
export async function invitationSsoEnforced(
  tx: Tx,
  invitation: { organizationId: string | null; teamId: string | null },
): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ enforced: boolean }[]>`
    SELECT o.sso_enforced AS enforced FROM organizations o
     WHERE o.id = coalesce(${invitation.organizationId}::uuid,
                           (SELECT t.organization_id FROM teams t WHERE t.id = ${invitation.teamId}::uuid))`;
  return row?.enforced ?? false;
}

/** What the invitation page shows before accepting: a usable invitation only. */
export interface InvitationPreview {
  email: string;
  organizationName: string | null;
  teamName: string | null;
  accountExists: boolean;
  ssoEnforced: boolean;
}

/** The usable (pending, unexpired) invitation with this token hash, for its page. */
export async function findInvitationPreview(
  db: Database,
  tokenHash: string,
  now: Date,
): Promise<InvitationPreview | null> {
  const [row] = await db.prisma.$queryRaw<InvitationPreview[]>`
    SELECT i.email, o.name AS "organizationName", t.name AS "teamName",
           EXISTS (SELECT 1 FROM users u WHERE u.email = i.email) AS "accountExists",
           coalesce(o.sso_enforced, tor.sso_enforced, false) AS "ssoEnforced"
      FROM invitations i
      LEFT JOIN organizations o ON o.id = i.organization_id
      LEFT JOIN teams t ON t.id = i.team_id
      LEFT JOIN organizations tor ON tor.id = t.organization_id
     WHERE i.token_hash = ${tokenHash} AND i.accepted_at IS NULL AND i.revoked_at IS NULL
       AND i.expires_at > ${now}`;
  return row ?? null;
}

/** A user's role in an organization (null: not a member), inside a transaction. */
export async function findOrgRoleIn(
  tx: Tx,
  organizationId: string,
  userId: string,
): Promise<OrgRole | null> {
  const member = await tx.organizationMember.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true },
  });
  return member?.role ?? null;
}

/**
 * Someone back in a team by an invitation: the keys they created there work again, as
 * teams.addMember does (teams/members.ts): their `owner_left` blocks go and a reinstate job
 * per key is queued (it restores a key the proxy deleted with the member). Returns how many.
 */
export async function liftOwnerLeftOnRejoin(
  tx: Tx,
  member: { teamId: string; userId: string },
): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ n: number }>>`
    WITH lift AS (
           DELETE FROM api_key_blocks b USING api_keys k
            WHERE k.team_id = ${member.teamId}::uuid AND k.creator_id = ${member.userId}::uuid
              AND b.api_key_id = k.id AND b.reason = 'owner_left'
           RETURNING k.id, k.region_id),
         reinstate AS (
           INSERT INTO jobs (kind, payload, region_id, api_key_id)
           SELECT 'litellm.reinstateKey', jsonb_build_object('keyId', id::text), region_id, id
             FROM lift)
    SELECT count(*)::int AS n FROM lift`;
  return rows[0]?.n ?? 0;
}
