/**
 * webhooks: endpoints events are POSTed to (an organization's, or global), signed per
 * Standard Webhooks; their secrets are answered once, and their delivery log.
 */
import { router } from "../../trpc/init.ts";
import { create } from "./create.handler.ts";
import { remove } from "./delete.handler.ts";
import { deliveries } from "./deliveries.handler.ts";
import { list } from "./list.handler.ts";
import { rotateSecret } from "./rotate-secret.handler.ts";
import { sendTest } from "./send-test.handler.ts";
import { update } from "./update.handler.ts";

export const webhooksRouter = router({
  create,
  list,
  update,
  delete: remove,
  rotateSecret,
  sendTest,
  deliveries,
});
