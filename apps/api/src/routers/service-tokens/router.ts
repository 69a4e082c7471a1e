/**
 * Service tokens for internal callers. The secret is returned once by `create` and only
 * its hash is stored. A token is bound by its creator's current rights (see
 * auth/service-tokens.ts), so the list shows whose token it is and when it was last used.
 */
import { router } from "../../trpc/init.ts";
import { create } from "./create.handler.ts";
import { list } from "./list.handler.ts";
import { revoke } from "./revoke.handler.ts";

export const serviceTokensRouter = router({ create, revoke, list });
