import { notFound } from "@gatehouse/core";
import {
  getAlertSettings,
  organizationExists,
  saveAlertSettings,
  transaction,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { orgAdminProcedure } from "../../trpc/init.ts";
import {
  ZAlertsUpdateSettingsInput,
  ZAlertsUpdateSettingsOutput,
} from "./update-settings.schema.ts";
import { settingsView } from "./shared.ts";

/**
 * alerts.updateSettings (the organization's admins, system admins): replaces its budget
 * thresholds, expiry warning days and mail recipients per event type. Thresholds already
 * crossed this period are not sent again; new ones apply from the next evaluation.
 */
export const updateSettings = orgAdminProcedure
  .input(ZAlertsUpdateSettingsInput)
  .output(ZAlertsUpdateSettingsOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const { organizationId, ...settings } = input;
      if (!(await organizationExists(tx, organizationId))) throw notFound("Organization");
      const before = await getAlertSettings(tx, organizationId);
      await saveAlertSettings(tx, organizationId, settings);
      await writeAudit(tx, ctx, {
        action: "alerts.updateSettings",
        targetType: "organization",
        targetId: organizationId,
        organizationId,
        details: { from: before, to: settings },
      });
      return settingsView(organizationId, settings);
    }),
  );
