/**
 * teams.block / teams.unblock: cut a team off on every region's proxy, by hand, and give
 * access back. A team is blocked on the proxies iff it has any block reason (core
 * blockState); unblock lifts only the manual reason, so a team that is also expired stays
 * blocked until paid. The reason rows, the audit event and the proxy jobs commit together.
 *
 * The manual block records who placed it and at which level (core block-level.ts): an
 * organization admin cannot lift a system admin's block; blocking again at a higher level
 * takes the block over.
 */
import { notFound, type Actor } from "@gatehouse/core";
import { lockTeam, teamBlocks, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import { callerBlockLevel, changeManualBlock } from "../manual-block.ts";
import type { TTeamBlockOutput } from "../../routers/teams/shared.schema.ts";
import { teamBlockView } from "../../routers/teams/shared.ts";
import type { TeamAccess } from "../../trpc/team-access.ts";

/** Places the caller's manual block on the team (`block`), or lifts it (null). */
export async function setTeamManualBlock(
  ctx: Context & { actor: Actor; teamAccess: TeamAccess },
  block: { note: string | null } | null,
): Promise<TTeamBlockOutput> {
  const teamId = ctx.teamAccess.team.id;
  const callerLevel = callerBlockLevel(ctx.actor, ctx.teamAccess);
  // teamProcedure("manage") passed: system or organization admins only.
  if (callerLevel === null) throw notFound("Team");
  const result = await transaction(ctx.db, async (tx) => {
    // Serialised with other changes of the team (keys.create checks blocks under this lock).
    const team = await lockTeam(tx, teamId);
    if (!team) throw notFound("Team");
    const changed = await changeManualBlock(tx, ctx, { teamId }, callerLevel, block);
    await writeAudit(tx, ctx, {
      action: block ? "team.block" : "team.unblock",
      targetType: "team",
      targetId: teamId,
      organizationId: team.organizationId,
      details: {
        reason: "manual",
        level: callerLevel,
        changed,
        ...(block?.note ? { note: block.note } : {}),
      },
    });
    return teamBlockView(await teamBlocks(tx, teamId), callerLevel);
  });
  return result;
}
