import { deleteWebhook, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZWebhooksDeleteInput, ZWebhooksDeleteOutput } from "./delete.schema.ts";
import { managedWebhook } from "./shared.ts";

/** webhooks.delete: its deliveries and their log go with it; queued jobs find nothing. */
export const remove = authedProcedure
  .input(ZWebhooksDeleteInput)
  .output(ZWebhooksDeleteOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const webhook = await managedWebhook(tx, ctx.actor, input.webhookId);
      await deleteWebhook(tx, input.webhookId);
      await writeAudit(tx, ctx, {
        action: "webhook.delete",
        targetType: "webhook",
        targetId: input.webhookId,
        organizationId: webhook.organizationId,
        details: { url: webhook.url },
      });
      return { ok: true as const };
    }),
  );
