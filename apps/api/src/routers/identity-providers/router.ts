/**
 * identityProviders: the OpenID providers people sign in with (global, or an organization's
 * own) and their group rules. The client secret is write-only (sealed at rest).
 */
import { router } from "../../trpc/init.ts";
import { create } from "./create.handler.ts";
import { remove } from "./delete.handler.ts";
import { list } from "./list.handler.ts";
import { setGroupRules } from "./set-group-rules.handler.ts";
import { update } from "./update.handler.ts";

export const identityProvidersRouter = router({
  create,
  list,
  update,
  delete: remove,
  setGroupRules,
});
