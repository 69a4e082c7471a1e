/** Helpers shared by the teams procedures. */
import {
  canChangeTeamMember,
  forbidden,
  mayLiftBlock,
  notFound,
  type Actor,
  type BlockLevel,
  type TeamRole,
} from "@gatehouse/core";
import { lockTeamMemberRole, type TeamBlockRow, type Tx } from "@gatehouse/db";
import type { TeamAccess } from "../../trpc/team-access.ts";
import { toIso } from "../shared.schema.ts";

/**
 * The team's block reasons as shown, and whether a caller at `callerLevel` (null: may not
 * lift blocks) may lift its manual block.
 */
export function teamBlockView(blocks: readonly TeamBlockRow[], callerLevel: BlockLevel | null) {
  return {
    blocked: blocks.length > 0,
    blockReasons: blocks.map((b) => ({
      reason: b.reason,
      note: b.note,
      since: toIso(b.since),
      level: b.level,
      placedBy: b.placedBy,
    })),
    canUnblock: blocks.some((b) => b.reason === "manual" && mayLiftBlock(callerLevel, b.level)),
  };
}

/** FORBIDDEN's message when core refuses a removal or a demotion. */
export const CANNOT_CHANGE_TEAM_ADMIN =
  "A team admin can be removed or demoted only by an organization admin or a system administrator";

/**
 * The target's membership, row-locked for the rest of the transaction, after checking the
 * caller may make this change to it (a concurrent promotion cannot slip past the check).
 */
export async function lockMemberForChange(
  tx: Tx,
  actor: Actor,
  access: TeamAccess,
  userId: string,
  to: TeamRole | null,
): Promise<TeamRole> {
  const role = await lockTeamMemberRole<TeamRole>(tx, access.team.id, userId);
  return checkMemberChange(actor, access, userId, role, to);
}

/** The check of lockMemberForChange, on a role the caller read under the row lock. */
export function checkMemberChange(
  actor: Actor,
  access: TeamAccess,
  userId: string,
  role: TeamRole | null,
  to: TeamRole | null,
): TeamRole {
  if (!role) throw notFound("Team member");
  if (
    !canChangeTeamMember(
      actor,
      { organizationId: access.team.organizationId, callerRole: access.callerRole },
      { userId, role },
      to,
    )
  ) {
    throw forbidden(CANNOT_CHANGE_TEAM_ADMIN);
  }
  return role;
}
