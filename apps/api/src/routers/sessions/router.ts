/**
 * sessions.list / sessions.revoke: a person sees and ends their own sessions; a system
 * admin may do so for anyone.
 */
import { router } from "../../trpc/init.ts";
import { list } from "./list.handler.ts";
import { revoke } from "./revoke.handler.ts";

export const sessionsRouter = router({ list, revoke });
