/**
 * An organization's alert settings (its admins, system admins): budget thresholds, expiry
 * warning days, and who is mailed per event type. The events themselves are found by the
 * alert evaluation; who hears of them, by the dispatch's channels (apps/api events/).
 */
import { router } from "../../trpc/init.ts";
import { getSettings } from "./get-settings.handler.ts";
import { updateSettings } from "./update-settings.handler.ts";

export const alertsRouter = router({ getSettings, updateSettings });
