import crypto from "node:crypto";
import { notFound } from "@gatehouse/core";
import { insertWebhook, organizationExists, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZWebhooksCreateInput, ZWebhooksCreateOutput } from "./create.schema.ts";
import {
  assertMayManageWebhooks,
  assertWebhookUrl,
  newWebhookSecret,
  sealWebhookSecret,
} from "./shared.ts";

/** webhooks.create: an organization's endpoint (its admins) or a global one (system admins). */
export const create = authedProcedure
  .input(ZWebhooksCreateInput)
  .output(ZWebhooksCreateOutput)
  .mutation(({ ctx, input }) => {
    const organizationId = input.organizationId ?? null;
    assertMayManageWebhooks(ctx.actor, organizationId);
    assertWebhookUrl(ctx.config, input.url);
    const id = crypto.randomUUID();
    const secret = newWebhookSecret();
    const secretSealed = sealWebhookSecret(ctx.config, id, secret);
    return transaction(ctx.db, async (tx) => {
      if (organizationId && !(await organizationExists(tx, organizationId)))
        throw notFound("Organization", { field: "organizationId" });
      await insertWebhook(tx, {
        id,
        organizationId,
        url: input.url,
        eventTypes: input.eventTypes,
        description: input.description ?? "",
        secretSealed,
      });
      // Never the secret: the event names what was set.
      await writeAudit(tx, ctx, {
        action: "webhook.create",
        targetType: "webhook",
        targetId: id,
        organizationId,
        details: { url: input.url, eventTypes: input.eventTypes },
      });
      return { id, secret };
    });
  });
