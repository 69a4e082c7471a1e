import { decodeCursor, encodeCursor, ZEventType } from "@gatehouse/core";
import { listWebhookAttempts, transaction } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZWebhooksDeliveriesInput, ZWebhooksDeliveriesOutput } from "./deliveries.schema.ts";
import { managedWebhook } from "./shared.ts";

const SORT = { sortBy: "createdAt", sortOrder: "desc" } as const;

/** webhooks.deliveries: the endpoint's attempts log, newest first, cursor-paged. */
export const deliveries = authedProcedure
  .input(ZWebhooksDeliveriesInput)
  .output(ZWebhooksDeliveriesOutput)
  .query(async ({ ctx, input }) => {
    await transaction(ctx.db, (tx) => managedWebhook(tx, ctx.actor, input.webhookId));
    const after = input.cursor ? decodeCursor(input.cursor, SORT) : null;
    const rows = await listWebhookAttempts(ctx.db, {
      webhookId: input.webhookId,
      after: after ? { attemptedAt: new Date(after.value), id: after.id } : null,
      take: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.id,
        deliveryId: r.deliveryId,
        eventId: r.eventId,
        eventType: ZEventType.catch("test").parse(r.eventType),
        attemptedAt: toIso(r.attemptedAt),
        statusCode: r.statusCode,
        latencyMs: r.latencyMs,
        error: r.error,
        deliveryStatus: r.deliveryStatus,
        deliveryAttempts: r.deliveryAttempts,
      })),
      nextCursor:
        rows.length > input.limit && last
          ? encodeCursor({ ...SORT, value: toIso(last.attemptedAt), id: last.id })
          : null,
    };
  });
