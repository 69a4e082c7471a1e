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
import {
  blockLevelLabel,
  blockLevelOf,
  DomainError,
  mayLiftBlock,
  notFound,
  placeBlock,
  type Actor,
  type BlockLevel,
} from "@gatehouse/core";
import {
  enqueueForEach,
  liftTeamManualBlock,
  lockTeam,
  placeTeamManualBlock,
  teamBlocks,
  teamManualBlockLevel,
  type Prisma,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import type { TeamAccess } from "../../trpc/team-access.ts";
import type { Context } from "../../context.ts";
import { ZBlockTeamInput, ZTeamBlockOutput, ZTeamIdInput } from "./shared.schema.ts";
import { teamBlockView } from "./shared.ts";

/** The team's block reasons as shown, and whether this caller may lift its manual block. */
export async function blockOutput(
  tx: Prisma.TransactionClient,
  teamId: string,
  callerLevel: BlockLevel | null,
) {
  return teamBlockView(await teamBlocks(tx, teamId), callerLevel);
}

/** The refusal when a block was placed above the caller's level. */
export function placedAbove(level: BlockLevel): DomainError {
  return new DomainError(
    "FORBIDDEN",
    `This block was placed by a ${blockLevelLabel(level)}; only a ${blockLevelLabel(level)} or above can lift it`,
    { level },
  );
}

/** Who acts, for a block row. */
export function placedBy(actor: Actor) {
  return actor.kind === "user"
    ? { placedByUserId: actor.userId, placedByServiceTokenId: null }
    : { placedByUserId: null, placedByServiceTokenId: actor.serviceTokenId };
}

async function setManualBlock(
  ctx: Context & { actor: Actor; teamAccess: TeamAccess },
  teamId: string,
  block: { note: string | null } | null,
) {
  const callerLevel = blockLevelOf(ctx.actor, {
    organizationId: ctx.teamAccess.team.organizationId,
    callerRole: ctx.teamAccess.callerRole,
  });
  // teamProcedure("manage") passed: system or organization admins only.
  if (callerLevel === null) throw notFound("Team");
  const result = await ctx.db.prisma.$transaction(async (tx) => {
    // Serialised with other changes of the team (keys.create checks blocks under this lock).
    const team = await lockTeam(tx, teamId);
    if (!team) throw notFound("Team");
    const existing = await teamManualBlockLevel(tx, teamId);
    let changed = 0;
    if (block) {
      const how = placeBlock(callerLevel, existing);
      if (how !== "keep") {
        changed = await placeTeamManualBlock(
          tx,
          teamId,
          { level: callerLevel, note: block.note, ...placedBy(ctx.actor) },
          how,
          ctx.clock.now(),
        );
      }
    } else if (existing !== undefined) {
      if (!mayLiftBlock(callerLevel, existing)) throw placedAbove(existing!);
      changed = await liftTeamManualBlock(tx, teamId);
    }
    // Queued even when nothing changed here: a repeat is also how an operator re-sends the
    // state to a proxy that lost it; the job is idempotent.
    await enqueueForEach(tx, "litellm.syncTeamBlock", { teamIds: [teamId] });
    await writeAudit(tx, ctx, {
      action: block ? "team.block" : "team.unblock",
      targetType: "team",
      targetId: teamId,
      organizationId: team.organizationId,
      details: {
        reason: "manual",
        level: callerLevel,
        changed: changed > 0,
        ...(block?.note ? { note: block.note } : {}),
      },
    });
    return blockOutput(tx, teamId, callerLevel);
  });
  ctx.jobs?.nudge();
  return result;
}

export const blockTeam = teamProcedure("manage", ZBlockTeamInput)
  .output(ZTeamBlockOutput)
  .mutation(async ({ ctx, input }) => {
    return setManualBlock(ctx, input.teamId, { note: input.reason ?? null });
  });

export const unblockTeam = teamProcedure("manage", ZTeamIdInput)
  .output(ZTeamBlockOutput)
  .mutation(async ({ ctx, input }) => {
    return setManualBlock(ctx, input.teamId, null);
  });
