import { WEBHOOK_SECRET_OVERLAP_MS } from "@gatehouse/core";
import { rotateWebhookSecret, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZWebhooksRotateSecretInput, ZWebhooksRotateSecretOutput } from "./rotate-secret.schema.ts";
import { managedWebhook, newWebhookSecret, sealWebhookSecret } from "./shared.ts";

/**
 * webhooks.rotateSecret: a new secret, answered once; the old one keeps signing (a second
 * signature in `webhook-signature`) for 24 hours, so receivers switch without losing events.
 */
export const rotateSecret = authedProcedure
  .input(ZWebhooksRotateSecretInput)
  .output(ZWebhooksRotateSecretOutput)
  .mutation(({ ctx, input }) => {
    const secret = newWebhookSecret();
    const secretSealed = sealWebhookSecret(ctx.config, input.webhookId, secret);
    const previousExpiresAt = new Date(ctx.clock.now().getTime() + WEBHOOK_SECRET_OVERLAP_MS);
    return transaction(ctx.db, async (tx) => {
      const webhook = await managedWebhook(tx, ctx.actor, input.webhookId);
      await rotateWebhookSecret(tx, input.webhookId, { secretSealed, previousExpiresAt });
      await writeAudit(tx, ctx, {
        action: "webhook.rotateSecret",
        targetType: "webhook",
        targetId: input.webhookId,
        organizationId: webhook.organizationId,
        details: { previousSecretExpiresAt: toIso(previousExpiresAt) },
      });
      return { secret, previousSecretExpiresAt: toIso(previousExpiresAt) };
    });
  });
