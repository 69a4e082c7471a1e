/**
 * regions.create / list / update. A region's LiteLLM master key is write-only: it is
 * stored for the worker and never selected into any procedure's output.
 */
import { router } from "../../trpc/init.ts";
import { deleteOrphanKeys } from "./delete-orphan-keys.handler.ts";
import { reconcile } from "./reconcile.handler.ts";
import { reconcileStatus } from "./reconcile-status.handler.ts";
import { create } from "./create.handler.ts";
import { list } from "./list.handler.ts";
import { update } from "./update.handler.ts";

export const regionsRouter = router({
  create,
  list,
  update,
  reconcile,
  reconcileStatus,
  deleteOrphanKeys,
});
