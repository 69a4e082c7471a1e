/**
 * What every invitations procedure shares: the output mapping, the rights check (core
 * canManageInvitation on facts read here), the token and its mail.
 */
import {
  canManageInvitation,
  forbidden,
  invitationMail,
  invitationStatus,
  notFound,
  teamPermissions,
  type Actor,
  type InvitationScope,
  type TeamRole,
} from "@gatehouse/core";
import {
  findUserContact,
  teamAccessRow,
  type Database,
  type InvitationRecord,
  type Tx,
} from "@gatehouse/db";
import { invitationAcceptUrl, queueAccountMail } from "../../auth/account-mail.ts";
import { hashToken, INVITATION_TOKEN_PREFIX, newOpaqueToken } from "../../auth/tokens.ts";
import type { Context } from "../../context.ts";
import { memberIdOf } from "../../trpc/team-access.ts";
import type { TInvitation } from "./shared.schema.ts";

export function toInvitationOutput(row: InvitationRecord, now: Date): TInvitation {
  return {
    id: row.id,
    email: row.email,
    organization: row.organization,
    orgRole: row.orgRole,
    team: row.team,
    teamRole: row.teamRole,
    invitedBy: row.invitedBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    status: invitationStatus(row, now),
  };
}

/** The caller's role in a team (null: none, or no such team, or not a person). */
export async function callerTeamRole(
  db: Database,
  actor: Actor,
  teamId: string | null,
): Promise<TeamRole | null> {
  if (!teamId) return null;
  return (await teamAccessRow(db, teamId, memberIdOf(actor)))?.role ?? null;
}

/**
 * Resend and revoke act on an existing invitation with the rights create needs for its
 * scope. One who may not manage it gets NOT_FOUND, as for an unknown id (ids cannot be
 * probed).
 */
export async function requireInvitationManager(
  ctx: Pick<Context, "db"> & { actor: Actor },
  invitation: InvitationRecord | null,
): Promise<InvitationRecord> {
  if (!invitation) throw notFound("Invitation");
  const teamId = invitation.team?.id ?? null;
  const role = await callerTeamRole(ctx.db, ctx.actor, teamId);
  const scope = {
    organizationId: invitation.organization?.id ?? null,
    orgRole: invitation.orgRole,
    teamId,
  };
  if (!canManageInvitation(ctx.actor, scope, role)) throw notFound("Invitation");
  return invitation;
}

/** A team's visibility to the caller, as teams.get decides it. */
export function seesTeam(
  actor: Actor,
  row: { organizationId: string | null; role: TeamRole | null },
): boolean {
  return teamPermissions(actor, { organizationId: row.organizationId, callerRole: row.role }).view;
}

export function denyInvitation(): never {
  throw forbidden("You may not invite to this organization or team with these roles");
}

/** A fresh invitation token and its hash. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = newOpaqueToken(INVITATION_TOKEN_PREFIX);
  return { token, tokenHash: hashToken(token) };
}

/** Queues the invitation mail (with the link to accept) in `tx`. */
export async function queueInvitationMail(
  tx: Tx,
  ctx: Pick<Context, "config"> & { actor: Actor },
  invitation: InvitationRecord,
  scope: Pick<InvitationScope, "orgRole" | "teamRole">,
  token: string,
): Promise<void> {
  const inviter =
    ctx.actor.kind === "user" ? await findUserContact({ prisma: tx }, ctx.actor.userId) : null;
  await queueAccountMail(tx, {
    to: invitation.email,
    purpose: "invitation",
    content: invitationMail({
      acceptUrl: invitationAcceptUrl(ctx.config, token),
      inviterName: inviter?.name ?? null,
      organizationName: invitation.organization?.name ?? null,
      orgRole: scope.orgRole,
      teamName: invitation.team?.name ?? null,
      teamRole: scope.teamRole,
      expiresAt: invitation.expiresAt,
    }),
  });
}
