import { router } from "../../trpc/init.ts";
import { create } from "./create.handler.ts";
import { forcePasswordReset } from "./force-password-reset.handler.ts";
import { list } from "./list.handler.ts";
import { lookup } from "./lookup.handler.ts";
import { update } from "./update.handler.ts";

export const usersRouter = router({ create, list, update, lookup, forcePasswordReset });
