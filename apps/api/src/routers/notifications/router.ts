/**
 * The signed-in person's notifications (the bell, the notifications page) and their mail
 * opt-outs. Every procedure answers the caller's own rows only; service tokens have none.
 */
import { router } from "../../trpc/init.ts";
import { getPreferences } from "./get-preferences.handler.ts";
import { list } from "./list.handler.ts";
import { markRead } from "./mark-read.handler.ts";
import { updatePreferences } from "./update-preferences.handler.ts";

export const notificationsRouter = router({ list, markRead, getPreferences, updatePreferences });
