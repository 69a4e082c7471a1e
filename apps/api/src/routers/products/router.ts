/**
 * products.create / update / list and attach / detach to teams: system administrators.
 * A change of what a team is entitled to (attach, detach, a product's limits) queues, in
 * the same transaction, the jobs that push the new entitlement to every region's LiteLLM
 * team (db enqueueForEach; the worker reads the entitlement when it runs).
 */
import { router } from "../../trpc/init.ts";
import { attach } from "./attach.handler.ts";
import { create } from "./create.handler.ts";
import { detach } from "./detach.handler.ts";
import { list } from "./list.handler.ts";
import { update } from "./update.handler.ts";

export const productsRouter = router({ create, update, list, attach, detach });
