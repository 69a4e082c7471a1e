/**
 * audit.list: system admins read everything; org admins read the events of their
 * organizations. Newest first, keyset-paged on (createdAt, id).
 */
import { router } from "../../trpc/init.ts";
import { list } from "./list.handler.ts";

export const auditRouter = router({ list });
