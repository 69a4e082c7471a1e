/**
 * outbox: the mails Gatehouse sends, for system admins. Without SMTP configured this is
 * the local outbox, where the mails are read (the demo's invitations and resets).
 */
import { router } from "../../trpc/init.ts";
import { get } from "./get.handler.ts";
import { list } from "./list.handler.ts";

export const outboxRouter = router({ list, get });
