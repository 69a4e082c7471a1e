/**
 * teams.list: the everyday screen. Scope from core's plan, SQL from db's listTeams, the
 * expired badge from core's isTeamExpired. See packages/core/src/team-list-plan.ts.
 */
import { decodeCursor, encodeCursor, isTeamExpired, planTeamList } from "@gatehouse/core";
import { DEFAULT_TOTAL_CAP, listTeamsPage } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { organizationRefOf, toIso, toIsoOrNull } from "../shared.schema.ts";
import { ZListTeamsInput, ZTeamPage } from "./list.schema.ts";
import { renewalsOf } from "./renewals.ts";

export const list = authedProcedure
  .input(ZListTeamsInput.default({ page: 1, pageSize: 25, sortBy: "createdAt", sortOrder: "desc" }))
  .output(ZTeamPage)
  .query(async ({ ctx, input }) => {
    const plan = planTeamList(ctx.actor, {
      organizationId: input.organizationId,
      userId: input.userId,
    });
    const cursor = input.cursor ? decodeCursor(input.cursor, input) : null;
    const now = ctx.clock.now();
    const result = await listTeamsPage(ctx.db, {
      plan,
      filters: {
        teamId: input.teamId,
        name: input.name,
        search: input.search,
        expired: input.expired,
        blocked: input.blocked,
      },
      sortBy: input.sortBy,
      sortOrder: input.sortOrder,
      pageSize: input.pageSize,
      offset: (input.page - 1) * input.pageSize,
      after: cursor ? { value: cursor.value, id: cursor.id } : null,
      now,
      expiryGraceDays: ctx.config.expiryGraceDays,
      totalCap: DEFAULT_TOTAL_CAP,
    });
    const last = result.rows.at(-1);
    return {
      items: result.rows.map((row) => ({
        id: row.id,
        name: row.name,
        organization: organizationRefOf(row),
        createdAt: toIso(row.createdAt),
        alwaysFree: row.alwaysFree,
        lastPaymentAt: toIsoOrNull(row.lastPaymentAt),
        membersCount: row.membersCount,
        keysCount: row.keysCount,
        activeProducts: row.activeProducts,
        renewals: renewalsOf(row.renewals, row.lastPaymentAt),
        blocked: row.blocked,
        spendUsd: row.spendUsd,
        expired: isTeamExpired(
          {
            alwaysFree: row.alwaysFree,
            hasActiveProduct: row.activeProducts.length > 0,
            lastPaymentAt: row.lastPaymentAt,
            createdAt: row.createdAt,
          },
          now,
          ctx.config.expiryGraceDays,
        ),
      })),
      total: result.total,
      totalCapped: result.totalCapped,
      page: cursor ? null : input.page,
      pageSize: input.pageSize,
      totalPages: Math.ceil(result.total / input.pageSize),
      nextCursor:
        result.hasMore && last && result.lastSortValue
          ? encodeCursor({
              sortBy: input.sortBy,
              sortOrder: input.sortOrder,
              value: result.lastSortValue,
              id: last.id,
            })
          : null,
    };
  });
