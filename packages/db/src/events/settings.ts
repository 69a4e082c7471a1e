/** An organization's alert settings; no row means core's defaults. */
import { DEFAULT_ALERT_SETTINGS, ZAlertSettings, type AlertSettings } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

type Reader = Pick<Tx, "alertSettings">;

export async function getAlertSettings(
  db: Database | Tx,
  organizationId: string,
): Promise<AlertSettings> {
  const reader: Reader = "prisma" in db ? db.prisma : db;
  const row = await reader.alertSettings.findUnique({ where: { organizationId } });
  if (!row) return structuredClone(DEFAULT_ALERT_SETTINGS);
  return ZAlertSettings.parse({
    budgetThresholds: row.budgetThresholds,
    expiryWarningDays: row.expiryWarningDays,
    emailRecipients: row.emailRecipients,
  });
}

/** Writes the settings whole (the caller validated them with core `ZAlertSettings`). */
export async function saveAlertSettings(
  tx: Tx,
  organizationId: string,
  settings: AlertSettings,
): Promise<void> {
  const data = {
    budgetThresholds: settings.budgetThresholds,
    expiryWarningDays: settings.expiryWarningDays,
    emailRecipients: settings.emailRecipients,
  };
  await tx.alertSettings.upsert({
    where: { organizationId },
    create: { organizationId, ...data },
    update: data,
  });
}
