/**
 * teams.block / teams.unblock: cut a team off on every region's proxy, by hand, and give
 * access back. A team is blocked on the proxies iff it has any block reason (core
 * blockState); unblock lifts only the manual reason, so a team that is also expired stays
 * blocked until paid. The reason rows, the audit event and the proxy jobs commit together.
 */
import { notFound } from "@gatehouse/core";
import {
  enqueueTeamSyncJobs,
  lockTeam,
  setTeamManualBlock,
  teamBlocks,
  type Prisma,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import type { Context } from "../../context.ts";
import { toIso } from "../shared.schema.ts";
import { ZBlockTeamInput, ZTeamBlockOutput, ZTeamIdInput } from "./shared.schema.ts";

async function blockOutput(tx: Prisma.TransactionClient, teamId: string) {
  const blocks = await teamBlocks(tx, teamId);
  return {
    blocked: blocks.length > 0,
    blockReasons: blocks.map((b) => ({ reason: b.reason, note: b.note, since: toIso(b.since) })),
  };
}

async function setManualBlock(ctx: Context, teamId: string, block: { note: string | null } | null) {
  const result = await ctx.db.prisma.$transaction(async (tx) => {
    // Serialised with other changes of the team (keys.create checks blocks under this lock).
    const team = await lockTeam(tx, teamId);
    if (!team) throw notFound("Team");
    const changed = await setTeamManualBlock(tx, teamId, block, ctx.clock.now());
    // Queued even when nothing changed here: a repeat is also how an operator re-sends the
    // state to a proxy that lost it; the job is idempotent.
    await enqueueTeamSyncJobs(tx, "litellm.syncTeamBlock", `SELECT $1::uuid AS team_id`, [teamId]);
    await writeAudit(tx, ctx, {
      action: block ? "team.block" : "team.unblock",
      targetType: "team",
      targetId: teamId,
      organizationId: team.organizationId,
      details: {
        reason: "manual",
        changed: changed > 0,
        ...(block?.note ? { note: block.note } : {}),
      },
    });
    return blockOutput(tx, teamId);
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
