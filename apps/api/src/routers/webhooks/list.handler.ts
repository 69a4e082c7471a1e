import { listWebhooks } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { ZWebhooksListInput, ZWebhooksListOutput } from "./list.schema.ts";
import { assertMayManageWebhooks, webhookOutput } from "./shared.ts";

/** webhooks.list: an organization's endpoints, or the global ones; never a secret. */
export const list = authedProcedure
  .input(ZWebhooksListInput)
  .output(ZWebhooksListOutput)
  .query(async ({ ctx, input }) => {
    const organizationId = input.organizationId ?? null;
    assertMayManageWebhooks(ctx.actor, organizationId);
    const rows = await listWebhooks(ctx.db, organizationId ? { organizationId } : { global: true });
    return { items: rows.map(webhookOutput) };
  });
