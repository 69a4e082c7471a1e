import { blockState, notFound } from "@gatehouse/core";
import { enqueueKeyBlockJobs, lockApiKey, setKeyManualBlock } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZKeyBlockInput, ZKeyBlockOutput } from "./block.schema.ts";
import { keyBlockerAccess } from "./shared.ts";

/**
 * keys.block / keys.unblock: the key's `manual` reason (a disabled creator's
 * `owner_disabled` is managed by users.update). The key is blocked on its proxy iff any
 * reason remains; the job reads the reasons when it runs.
 */
export function setManualKeyBlock(block: boolean) {
  return authedProcedure
    .input(ZKeyBlockInput)
    .output(ZKeyBlockOutput)
    .mutation(async ({ ctx, input }) => {
      const { teamId, access } = await keyBlockerAccess(ctx.db, ctx.actor, input.keyId);
      const result = await ctx.db.prisma.$transaction(async (tx) => {
        if (!(await lockApiKey(tx, input.keyId))) throw notFound("Key");
        const changed = await setKeyManualBlock(tx, input.keyId, block, ctx.clock.now());
        await enqueueKeyBlockJobs(tx, `SELECT $1::uuid`, [input.keyId]);
        await writeAudit(tx, ctx, {
          action: block ? "key.block" : "key.unblock",
          targetType: "apiKey",
          targetId: input.keyId,
          organizationId: access.team.organizationId,
          details: { teamId, reason: "manual", changed: changed > 0 },
        });
        const reasons = await tx.apiKeyBlock.findMany({
          where: { apiKeyId: input.keyId },
          select: { reason: true },
        });
        const state = blockState(reasons.map((r) => r.reason));
        return { blocked: state.blocked, blockReasons: state.reasons };
      });
      ctx.jobs?.nudge();
      return result;
    });
}

export const blockKey = setManualKeyBlock(true);
export const unblockKey = setManualKeyBlock(false);
