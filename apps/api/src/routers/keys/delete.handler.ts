/**
 * keys.delete: the row goes and a durable job deletes the key on the proxy, retried until
 * done; the job records the key's alias (see src/workflows/create-key.ts for why).
 */
import { jobs, litellmKeyAlias, litellmTeamId, notFound } from "@gatehouse/core";
import { cancelKeyRestores, enqueueJobs } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { requireTeamPermission } from "../../trpc/team-access.ts";
import { ZDeleteKeyInput, ZDeleteKeyOutput } from "./delete.schema.ts";

export const remove = authedProcedure
  .input(ZDeleteKeyInput)
  .output(ZDeleteKeyOutput)
  .mutation(async ({ ctx, input }) => {
    const key = await ctx.db.prisma.apiKey.findUnique({
      where: { id: input.keyId },
      select: { teamId: true },
    });
    if (!key) throw notFound("Key");
    // A key of a team the caller cannot see is "not found", like an unknown key id.
    const { team } = await requireTeamPermission(
      ctx.db,
      ctx.actor,
      key.teamId,
      "manageKeys",
      "Key",
    );
    await ctx.db.prisma.$transaction(async (tx) => {
      const deleted = await tx.apiKey.findUnique({ where: { id: input.keyId } });
      if (!deleted) throw notFound("Key");
      await tx.apiKey.delete({ where: { id: input.keyId } });
      await cancelKeyRestores(tx, deleted.id);
      if (deleted.litellmKeyId) {
        const region = await tx.region.findUniqueOrThrow({
          where: { id: deleted.regionId },
          select: { name: true },
        });
        const keyAlias = litellmKeyAlias(litellmTeamId(region.name, deleted.teamId), deleted.name);
        await enqueueJobs(tx, [
          jobs.deleteKey(
            { keyToken: deleted.litellmKeyId, keyAlias },
            { regionId: deleted.regionId, apiKeyId: deleted.id },
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
    ctx.jobs?.nudge();
    return { ok: true as const };
  });
