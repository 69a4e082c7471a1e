import crypto from "node:crypto";
import { eventId, preconditionFailed, type EventEnvelope } from "@gatehouse/core";
import { emitEvents, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZWebhooksSendTestInput, ZWebhooksSendTestOutput } from "./send-test.schema.ts";
import { managedWebhook } from "./shared.ts";

/**
 * webhooks.sendTest: a `test` event for this endpoint only, through the same queue and
 * dispatch as every event (signed, retried, logged). Its id is new per call.
 */
export const sendTest = authedProcedure
  .input(ZWebhooksSendTestInput)
  .output(ZWebhooksSendTestOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const webhook = await managedWebhook(tx, ctx.actor, input.webhookId);
      if (!webhook.enabled)
        throw preconditionFailed(
          "This endpoint is disabled: enable it before sending a test event",
        );
      const event: EventEnvelope<"test"> = {
        id: eventId("test", [webhook.id, crypto.randomUUID()]),
        type: "test",
        timestamp: ctx.clock.now().toISOString(),
        organizationId: webhook.organizationId,
        teamId: null,
        data: { message: "A test event from Gatehouse", webhookId: webhook.id },
      };
      await emitEvents(tx, [event]);
      await writeAudit(tx, ctx, {
        action: "webhook.sendTest",
        targetType: "webhook",
        targetId: webhook.id,
        organizationId: webhook.organizationId,
        details: { eventId: event.id },
      });
      return { eventId: event.id };
    }),
  );
