import { transaction, updateWebhook } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZWebhooksUpdateInput, ZWebhooksUpdateOutput } from "./update.schema.ts";
import { assertWebhookUrl, managedWebhook, webhookOutput } from "./shared.ts";

/** webhooks.update: URL, types, description, and enabling or disabling it. */
export const update = authedProcedure
  .input(ZWebhooksUpdateInput)
  .output(ZWebhooksUpdateOutput)
  .mutation(({ ctx, input }) => {
    if (input.url !== undefined) assertWebhookUrl(ctx.config, input.url);
    return transaction(ctx.db, async (tx) => {
      const before = await managedWebhook(tx, ctx.actor, input.webhookId);
      const { webhookId, ...patch } = input;
      const after = await updateWebhook(tx, webhookId, patch, ctx.clock.now());
      await writeAudit(tx, ctx, {
        action: "webhook.update",
        targetType: "webhook",
        targetId: webhookId,
        organizationId: before.organizationId,
        details: {
          ...patch,
          ...(patch.enabled !== undefined && patch.enabled !== before.enabled
            ? { wasEnabled: before.enabled }
            : {}),
        },
      });
      return webhookOutput(after);
    });
  });
