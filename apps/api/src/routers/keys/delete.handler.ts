/**
 * keys.delete: the row goes and a durable job deletes the key on the proxy, retried until
 * done; the job records the key's alias (see src/workflows/keys/create.ts for why).
 */
import { jobs, litellmKeyAlias, litellmTeamId, notFound } from "@gatehouse/core";
import { cancelKeyRestores, deleteApiKey, enqueueJobs, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { keyProcedure } from "../../trpc/key-access.ts";
import { ZDeleteKeyInput, ZDeleteKeyOutput } from "./delete.schema.ts";

export const remove = keyProcedure("manageKeys", ZDeleteKeyInput)
  .output(ZDeleteKeyOutput)
  .mutation(async ({ ctx, input }) => {
    const { team } = ctx.keyAccess;
    await transaction(ctx.db, async (tx) => {
      const deleted = await deleteApiKey(tx, input.keyId);
      if (!deleted) throw notFound("Key");
      await cancelKeyRestores(tx, deleted.id);
      if (deleted.litellmKeyId && deleted.regionName !== null) {
        const keyAlias = litellmKeyAlias(
          litellmTeamId(deleted.regionName, deleted.teamId),
          deleted.name,
        );
        await enqueueJobs(tx, [
          jobs.deleteKey(
            { keyToken: deleted.litellmKeyId, keyAlias },
            { regionId: deleted.regionId, apiKeyId: deleted.id },
          ),
          // A rotation's retiring secret is the same key on the proxy: it goes too.
          ...deleted.retiringTokens.map((keyToken) =>
            jobs.deleteKey({ keyToken }, { regionId: deleted.regionId, apiKeyId: deleted.id }),
          ),
        ]);
      }
      await writeAudit(tx, ctx, {
        action: "key.delete",
        targetType: "apiKey",
        targetId: deleted.id,
        organizationId: team.organizationId,
        details: { teamId: deleted.teamId, name: deleted.name, regionId: deleted.regionId },
      });
    });
    return { ok: true as const };
  });
