/** keys: composes the procedures, one per file (`<verb>.handler.ts` + `<verb>.schema.ts`). */
import { router } from "../../trpc/init.ts";
import { blockKey, unblockKey } from "./block.handler.ts";
import { create } from "./create.handler.ts";
import { remove } from "./delete.handler.ts";
import { list } from "./list.handler.ts";
import { transfer } from "./transfer.handler.ts";

export const keysRouter = router({
  create,
  list,
  delete: remove,
  block: blockKey,
  unblock: unblockKey,
  transfer,
});
