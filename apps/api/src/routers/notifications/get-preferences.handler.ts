import { getEmailOptOuts } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { ZNotificationsGetPreferencesOutput } from "./get-preferences.schema.ts";
import { personOf } from "./shared.ts";

/** notifications.getPreferences: the caller's own mail opt-outs per event type. */
export const getPreferences = authedProcedure
  .output(ZNotificationsGetPreferencesOutput)
  .query(async ({ ctx }) => ({ emailOptOuts: await getEmailOptOuts(ctx.db, personOf(ctx.actor)) }));
