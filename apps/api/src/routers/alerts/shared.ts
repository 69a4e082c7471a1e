import {
  EVENT_TYPES,
  emailRecipientsFor,
  type AlertSettings,
  type EventType,
  type RecipientGroup,
} from "@gatehouse/core";

/** Settings as answered: every type's recipients, the organization's choice or the default. */
export function settingsView(organizationId: string, settings: AlertSettings) {
  const emailRecipients = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, emailRecipientsFor(settings, type)]),
  ) as Record<EventType, RecipientGroup[]>;
  return {
    organizationId,
    budgetThresholds: settings.budgetThresholds,
    expiryWarningDays: settings.expiryWarningDays,
    emailRecipients,
  };
}
