import { forbidden, teamRenameJobs } from "@gatehouse/core";
import {
  applyPaymentToProducts,
  blockIfExpired,
  enqueueJobs,
  enqueueForEach,
  liftExpiredIfPaid,
  teamRegionNames,
  transaction,
  updateTeamRow,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { toIsoOrNull } from "../shared.schema.ts";
import { ZTeamsUpdateOutput, ZUpdateTeamInput } from "./update.schema.ts";

/**
 * teams.update: the name (those who manage the team) and the billing fields (system admins):
 * a rename is queued to every region's proxy, a payment renews the team's products and may
 * end (or start) its `expired` block, in the same transaction.
 */
export const update = teamProcedure("manage", ZUpdateTeamInput)
  .output(ZTeamsUpdateOutput)
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    const billing = (["alwaysFree", "lastPaymentAt"] as const).filter(
      (f) => input[f] !== undefined,
    );
    if (billing.length > 0 && !access.permissions.manageBilling) {
      throw forbidden(`You may not change: ${billing.join(", ")}`);
    }
    const updated = await transaction(ctx.db, async (tx) => {
      const team = await updateTeamRow(tx, input.teamId, {
        name: input.name,
        alwaysFree: input.alwaysFree,
        lastPaymentAt:
          input.lastPaymentAt !== undefined
            ? input.lastPaymentAt
              ? new Date(input.lastPaymentAt)
              : null
            : undefined,
        rotateEveryDays: input.rotateEveryDays,
      });
      await writeAudit(tx, ctx, {
        action: "team.update",
        targetType: "team",
        targetId: team.id,
        organizationId: team.organizationId,
        details: {
          before: { name: access.team.name },
          changed: Object.keys(input).filter((k) => k !== "teamId"),
        },
      });
      if (team.name !== access.team.name) {
        await enqueueJobs(
          tx,
          teamRenameJobs({ id: team.id, name: team.name }, await teamRegionNames(tx)),
        );
      }
      if (input.lastPaymentAt !== undefined) {
        // A payment starts a new renewal period for every product of the team; lapsed ones
        // whose new period has not run out are active again and pushed to the proxies.
        const renewed = await applyPaymentToProducts(
          tx,
          team.id,
          team.lastPaymentAt,
          ctx.clock.now(),
          ctx.config.expiryGraceDays,
        );
        for (const product of renewed) {
          await writeAudit(tx, ctx, {
            action: "product.renew",
            targetType: "team",
            targetId: team.id,
            organizationId: team.organizationId,
            details: {
              productId: product.productId,
              productName: product.productName,
              lastPaymentAt: toIsoOrNull(team.lastPaymentAt),
            },
          });
        }
        if (renewed.length > 0)
          await enqueueForEach(tx, "litellm.pushEntitlement", { teamIds: [team.id] });
      }
      if (billing.length > 0) {
        // A payment (or always-free) ends an `expired` block now, not at the next sweep; a
        // payment date moved back (or always-free turned off) may start one now.
        const rule = [
          ctx.clock.now(),
          ctx.config.expiryGraceDays,
          ctx.config.expiredBlockGraceDays,
        ] as const;
        if (!(await liftExpiredIfPaid(tx, team.id, ...rule)))
          await blockIfExpired(tx, team.id, ...rule);
      }
      return team;
    });
    return {
      id: updated.id,
      name: updated.name,
      alwaysFree: updated.alwaysFree,
      lastPaymentAt: toIsoOrNull(updated.lastPaymentAt),
      rotateEveryDays: updated.rotateEveryDays,
    };
  });
