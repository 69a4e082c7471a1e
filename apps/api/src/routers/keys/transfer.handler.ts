/**
 * keys.transfer: hands a key to a current member of its team, typically a key whose
 * creator left (`owner_left`). Team admins, the team organization's admins and system
 * admins may (core canBlockKeys: whoever may block the key). The key keeps its secret; its
 * owner changes in Gatehouse and on the proxy (`/key/update user_id`, by the reinstate job,
 * which also restores the key from its sealed secret if the proxy lost it), and the
 * reasons that were about the old owner are lifted. `owner_disabled` is a system admin's
 * decision, so a key blocked for it is handed over by a system admin only (403 for others,
 * decided under the key's lock).
 */
import { blockState, DomainError, forbidden, notFound, type KeyBlockReason } from "@gatehouse/core";
import { keyManualBlocks, transaction, transferKey } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { callerBlockLevel } from "../../workflows/manual-block.ts";
import { keyProcedure } from "../../trpc/key-access.ts";
import { manualBlockViews } from "./shared.ts";
import { ZKeyTransferInput, ZKeyTransferOutput } from "./transfer.schema.ts";

export const transfer = keyProcedure("blockKeys", ZKeyTransferInput)
  .output(ZKeyTransferOutput)
  .mutation(async ({ ctx, input }) => {
    const access = ctx.keyAccess;
    const result = await transaction(ctx.db, async (tx) => {
      const done = await transferKey(tx, {
        keyId: input.keyId,
        teamId: access.team.id,
        toUserId: input.toUserId,
        mayLiftOwnerDisabled: ctx.actor.isSystemAdmin,
      });
      // Moved to another team meanwhile (a merge) or deleted: as an unknown key.
      if (done.outcome === "keyNotFound") throw notFound("Key");
      if (done.outcome === "ownerDisabled") {
        throw forbidden(
          "This key's owner was disabled by a system administrator: a system administrator must hand over a disabled person's key",
        );
      }
      if (done.outcome === "notMember") {
        throw new DomainError(
          "NOT_FOUND",
          "Not an active member of the key's team (add them to the team first)",
          { field: "toUserId" },
        );
      }
      await writeAudit(tx, ctx, {
        action: "key.transfer",
        targetType: "apiKey",
        targetId: input.keyId,
        organizationId: done.organizationId,
        details: { teamId: done.teamId, fromUserId: done.fromUserId, toUserId: input.toUserId },
      });
      // A manual block survives a transfer; say who placed it and whether this caller may lift it.
      const callerLevel = callerBlockLevel(ctx.actor, access);
      const manual = manualBlockViews(await keyManualBlocks(tx, [input.keyId]), () => callerLevel);
      return { done, manual: manual.get(input.keyId) ?? null };
    });
    const state = blockState(result.done.reasons as KeyBlockReason[]);
    return {
      keyId: input.keyId,
      ownerId: input.toUserId,
      blocked: state.blocked,
      blockReasons: state.reasons,
      manualBlock: result.manual,
      canUnblock: result.manual?.canUnblock ?? false,
    };
  });
