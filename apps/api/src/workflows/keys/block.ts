/**
 * keys.block / keys.unblock: the key's `manual` reason (a disabled creator's
 * `owner_disabled` is managed by users.update). The key is blocked on its proxy iff any
 * reason remains; the job reads the reasons when it runs.
 *
 * The manual block records who placed it, why, and at which level (core block-level.ts): a
 * team admin cannot lift an organization admin's block; blocking again at a higher level
 * takes the block over.
 */
import { blockState, forbidden, notFound, type Actor } from "@gatehouse/core";
import { blockReasonsOfKeys, keyManualBlocks, lockApiKey, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import { callerBlockLevel, changeManualBlock } from "../manual-block.ts";
import type { TKeyBlockOutput } from "../../routers/keys/shared.schema.ts";
import { manualBlockViews } from "../../routers/keys/shared.ts";
import type { KeyAccess } from "../../trpc/key-access.ts";

/** Places the caller's manual block on the key (`block`), or lifts it (null). */
export async function setKeyManualBlock(
  ctx: Context & { actor: Actor; keyAccess: KeyAccess },
  block: { note: string | null } | null,
): Promise<TKeyBlockOutput> {
  const { keyId, team } = ctx.keyAccess;
  const callerLevel = callerBlockLevel(ctx.actor, ctx.keyAccess);
  if (callerLevel === null) throw forbidden();
  const result = await transaction(ctx.db, async (tx) => {
    if (!(await lockApiKey(tx, keyId))) throw notFound("Key");
    const changed = await changeManualBlock(tx, ctx, { keyId }, callerLevel, block);
    await writeAudit(tx, ctx, {
      action: block ? "key.block" : "key.unblock",
      targetType: "apiKey",
      targetId: keyId,
      organizationId: team.organizationId,
      details: {
        teamId: team.id,
        reason: "manual",
        level: callerLevel,
        changed,
        ...(block?.note ? { note: block.note } : {}),
      },
    });
    const reasons = await blockReasonsOfKeys(tx, [keyId]);
    const state = blockState(reasons.map((r) => r.reason));
    const manual = manualBlockViews(await keyManualBlocks(tx, [keyId]), () => callerLevel);
    return {
      blocked: state.blocked,
      blockReasons: state.reasons,
      manualBlock: manual.get(keyId) ?? null,
      canUnblock: manual.get(keyId)?.canUnblock ?? false,
    };
  });
  return result;
}
