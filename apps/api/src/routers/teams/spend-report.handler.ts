/**
 * teams.spendReport: the CSV billing report of a period (workflows/teams/spend-report.ts),
 * for system administrators (every team, or one organization) and organization admins
 * (their organizations).
 */
import { badRequest, forbidden, isOrgAdmin, utcDay } from "@gatehouse/core";
import { authedProcedure } from "../../trpc/init.ts";
import { buildSpendReport } from "../../workflows/teams/spend-report.ts";
import { ZSpendReportInput, ZSpendReportOutput } from "./spend-report.schema.ts";

export const spendReport = authedProcedure
  .input(ZSpendReportInput)
  .output(ZSpendReportOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let organizationIds: string[] | null;
    if (input.organizationId) {
      if (!isOrgAdmin(actor, input.organizationId))
        throw forbidden(
          "Only system administrators and this organization's admins may export its spend",
        );
      organizationIds = [input.organizationId];
    } else if (actor.isSystemAdmin) {
      organizationIds = null;
    } else if (actor.adminOrgIds.length > 0) {
      organizationIds = [...actor.adminOrgIds];
    } else {
      throw forbidden("Only system administrators and organization admins may export spend");
    }
    if (input.from > utcDay(ctx.clock.now()))
      throw badRequest("The period has not started yet", { field: "from" });

    const report = await buildSpendReport(ctx.db, {
      organizationIds,
      from: input.from,
      to: input.to,
    });
    return { ...report, from: input.from, to: input.to, currency: "USD" as const };
  });
