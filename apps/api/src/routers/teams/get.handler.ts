import { blockLevelOf, isTeamExpired, notFound, renewalView } from "@gatehouse/core";
import { loadTeamDetail } from "@gatehouse/db";
import { teamProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import { teamSpendView } from "./spend-view.ts";
import { renewalsOf } from "./renewals.ts";
import { ZGetTeamInput, ZTeamDetail } from "./get.schema.ts";
import { teamBlockView } from "./shared.ts";

/** teams.get: one team with everything its page shows, for those who may see it. */
export const get = teamProcedure("view", ZGetTeamInput)
  .output(ZTeamDetail)
  .query(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    // Two round trips in all: the access check above and this one statement.
    const team = await loadTeamDetail(ctx.db, input.teamId, {
      memberLimit: 1000,
      defaultEntitlement: ctx.config.defaultEntitlement,
    });
    if (!team) throw notFound("Team");
    const spend = teamSpendView(team.spend);
    const active = team.products.filter((p) => p.status === "ACTIVE");
    const now = ctx.clock.now();
    return {
      id: team.id,
      name: team.name,
      organization: team.organization,
      createdAt: toIso(team.createdAt),
      updatedAt: toIso(team.updatedAt),
      alwaysFree: team.alwaysFree,
      rotateEveryDays: team.rotateEveryDays,
      lastPaymentAt: toIsoOrNull(team.lastPaymentAt),
      membersCount: team.membersCount,
      keysCount: team.keysCount,
      activeProducts: active.map((p) => ({ id: p.productId, name: p.name })),
      expired: isTeamExpired(
        {
          alwaysFree: team.alwaysFree,
          hasActiveProduct: active.length > 0,
          lastPaymentAt: team.lastPaymentAt,
          createdAt: team.createdAt,
        },
        now,
        ctx.config.expiryGraceDays,
      ),
      spendUsd: spend.totalUsd,
      spend,
      // Lifting a team's block is for those who manage the team (teams.unblock).
      ...teamBlockView(
        team.blocks,
        access.permissions.manage
          ? blockLevelOf(ctx.actor, {
              organizationId: access.team.organizationId,
              callerRole: access.callerRole,
            })
          : null,
      ),
      entitlement: team.entitlement,
      members: team.members.map((m) => ({
        userId: m.userId,
        email: m.email,
        name: m.name,
        role: m.role,
        source: m.source,
        createdAt: toIso(m.createdAt),
        maxBudgetUsd: m.maxBudgetUsd ?? null,
      })),
      renewals: renewalsOf(team.products, team.lastPaymentAt),
      products: team.products.map((p) => {
        const view = renewalView({
          status: p.status,
          attachedAt: p.createdAt,
          lastPaymentAt: team.lastPaymentAt,
          renewalPeriodDays: p.renewalPeriodDays,
          lapsedAt: p.lapsedAt,
        });
        return {
          id: p.id,
          productId: p.productId,
          name: p.name,
          status: p.status,
          createdAt: toIso(p.createdAt),
          renewsOn: toIsoOrNull(view.renewsOn),
          lapsedOn: toIsoOrNull(view.lapsedOn),
        };
      }),
      permissions: {
        manage: access.permissions.manage,
        manageMembers: access.permissions.manageMembers,
        manageKeys: access.permissions.manageKeys,
      },
    };
  });
