import { saveEmailOptOuts, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import {
  ZNotificationsUpdatePreferencesInput,
  ZNotificationsUpdatePreferencesOutput,
} from "./update-preferences.schema.ts";
import { personOf } from "./shared.ts";

/** notifications.updatePreferences: replaces the caller's own mail opt-outs. */
export const updatePreferences = authedProcedure
  .input(ZNotificationsUpdatePreferencesInput)
  .output(ZNotificationsUpdatePreferencesOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const userId = personOf(ctx.actor);
      const before = await saveEmailOptOuts(tx, userId, input.emailOptOuts);
      await writeAudit(tx, ctx, {
        action: "notifications.updatePreferences",
        targetType: "user",
        targetId: userId,
        details: { emailOptOuts: input.emailOptOuts, from: before },
      });
      return { emailOptOuts: input.emailOptOuts };
    }),
  );
