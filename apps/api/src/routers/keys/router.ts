/**
 * keys: composes the procedures, one per file (`<verb>.handler.ts` + `<verb>.schema.ts`).
 * Procedures on one key are gated by `keyProcedure` (trpc/key-access.ts); keys.create by
 * `teamProcedure` on the team it names.
 */
import { router } from "../../trpc/init.ts";
import { block } from "./block.handler.ts";
import { create } from "./create.handler.ts";
import { remove } from "./delete.handler.ts";
import { extend } from "./extend.handler.ts";
import { get } from "./get.handler.ts";
import { list } from "./list.handler.ts";
import { revealSecret } from "./reveal-secret.handler.ts";
import { rotate } from "./rotate.handler.ts";
import { transfer } from "./transfer.handler.ts";
import { unblock } from "./unblock.handler.ts";
import { update } from "./update.handler.ts";

export const keysRouter = router({
  create,
  list,
  delete: remove,
  block,
  unblock,
  transfer,
  rotate,
  revealSecret,
  get,
  update,
  extend,
});
