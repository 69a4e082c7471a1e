import { ZNotificationPreferences } from "@gatehouse/core";
import { ZNotificationsPreferences } from "./get-preferences.schema.ts";

export const ZNotificationsUpdatePreferencesInput = ZNotificationPreferences.strict();

export const ZNotificationsUpdatePreferencesOutput = ZNotificationsPreferences;
