import { RECIPIENT_GROUPS, EVENT_TYPES } from "@gatehouse/core";
import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZAlertsGetSettingsInput = z.strictObject({ organizationId: ZId });

/** An organization's alert settings, with every event type's mail recipients spelled out. */
export const ZAlertsSettingsOutput = z.object({
  organizationId: ZId,
  budgetThresholds: z.array(z.number().int()),
  expiryWarningDays: z.array(z.number().int()),
  emailRecipients: z.record(z.enum(EVENT_TYPES), z.array(z.enum(RECIPIENT_GROUPS))),
});
