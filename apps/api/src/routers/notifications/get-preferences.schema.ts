import { ZEventType } from "@gatehouse/core";
import { z } from "zod";

export const ZNotificationsPreferences = z.object({
  /** Event types the caller receives no mail for (in-app notifications still come). */
  emailOptOuts: z.array(ZEventType),
});

export const ZNotificationsGetPreferencesOutput = ZNotificationsPreferences;
