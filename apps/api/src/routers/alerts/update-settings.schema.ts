import { ZAlertSettings } from "@gatehouse/core";
import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZAlertsSettingsOutput } from "./get-settings.schema.ts";

/** The settings whole (core ZAlertSettings): thresholds and days come back sorted, unique. */
export const ZAlertsUpdateSettingsInput = z.strictObject({
  organizationId: ZId,
  ...ZAlertSettings.shape,
});

export const ZAlertsUpdateSettingsOutput = ZAlertsSettingsOutput;
