import {
  blockLevelOf,
  blockState,
  forbidden,
  mayLiftBlock,
  notFound,
  placeBlock,
} from "@gatehouse/core";
import {
  enqueueForEach,
  keyManualBlockLevel,
  liftKeyManualBlock,
  lockApiKey,
  placeKeyManualBlock,
} from "@gatehouse/db";
import type { Actor } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { placedAbove, placedBy } from "../teams/block.handler.ts";
import { ZKeyBlockInput, ZKeyBlockOutput, ZKeyUnblockInput } from "./block.schema.ts";
import { keyBlockerAccess, keyManualBlockOutput } from "./shared.ts";

/**
 * keys.block / keys.unblock: the key's `manual` reason (a disabled creator's
 * `owner_disabled` is managed by users.update). The key is blocked on its proxy iff any
 * reason remains; the job reads the reasons when it runs.
 *
 * The manual block records who placed it, why, and at which level (core block-level.ts): a
 * team admin cannot lift an organization admin's block; blocking again at a higher level
 * takes the block over.
 */
async function setManualKeyBlock(
  ctx: Context & { actor: Actor },
  keyId: string,
  block: { note: string | null } | null,
) {
  const { teamId, access } = await keyBlockerAccess(ctx.db, ctx.actor, keyId);
  const callerLevel = blockLevelOf(ctx.actor, {
    organizationId: access.team.organizationId,
    callerRole: access.callerRole,
  });
  if (callerLevel === null) throw forbidden();
  const result = await ctx.db.prisma.$transaction(async (tx) => {
    if (!(await lockApiKey(tx, keyId))) throw notFound("Key");
    const existing = await keyManualBlockLevel(tx, keyId);
    let changed = 0;
    if (block) {
      const how = placeBlock(callerLevel, existing);
      if (how !== "keep") {
        changed = await placeKeyManualBlock(
          tx,
          keyId,
          { level: callerLevel, note: block.note, ...placedBy(ctx.actor) },
          how,
          ctx.clock.now(),
        );
      }
    } else if (existing !== undefined) {
      if (!mayLiftBlock(callerLevel, existing)) throw placedAbove(existing!);
      changed = await liftKeyManualBlock(tx, keyId);
    }
    await enqueueForEach(tx, "litellm.syncKeyBlock", { keyIds: [keyId] });
    await writeAudit(tx, ctx, {
      action: block ? "key.block" : "key.unblock",
      targetType: "apiKey",
      targetId: keyId,
      organizationId: access.team.organizationId,
      details: {
        teamId,
        reason: "manual",
        level: callerLevel,
        changed: changed > 0,
        ...(block?.note ? { note: block.note } : {}),
      },
    });
    const reasons = await tx.apiKeyBlock.findMany({
      where: { apiKeyId: keyId },
      select: { reason: true },
    });
    const state = blockState(reasons.map((r) => r.reason));
    const manual = await keyManualBlockOutput(tx, [keyId], () => callerLevel);
    return {
      blocked: state.blocked,
      blockReasons: state.reasons,
      manualBlock: manual.get(keyId) ?? null,
      canUnblock: manual.get(keyId)?.canUnblock ?? false,
    };
  });
  ctx.jobs?.nudge();
  return result;
}

export const blockKey = authedProcedure
  .input(ZKeyBlockInput)
  .output(ZKeyBlockOutput)
  .mutation(({ ctx, input }) =>
    setManualKeyBlock(ctx, input.keyId, { note: input.reason ?? null }),
  );

export const unblockKey = authedProcedure
  .input(ZKeyUnblockInput)
  .output(ZKeyBlockOutput)
  .mutation(({ ctx, input }) => setManualKeyBlock(ctx, input.keyId, null));
