import { notFound } from "@gatehouse/core";
import { getAlertSettings, organizationExists, transaction } from "@gatehouse/db";
import { orgAdminProcedure } from "../../trpc/init.ts";
import { ZAlertsGetSettingsInput, ZAlertsSettingsOutput } from "./get-settings.schema.ts";
import { settingsView } from "./shared.ts";

/** alerts.getSettings: an organization's thresholds, warning days and mail recipients. */
export const getSettings = orgAdminProcedure
  .input(ZAlertsGetSettingsInput)
  .output(ZAlertsSettingsOutput)
  .query(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      if (!(await organizationExists(tx, input.organizationId))) throw notFound("Organization");
      return settingsView(input.organizationId, await getAlertSettings(tx, input.organizationId));
    }),
  );
