/** A teams.list query as a system admin sees it, for the listing's database tests. */
import { planTeamList } from "@gatehouse/core";
import type { TeamListQuery } from "../src/teams/list.ts";

export function adminListQuery(over: Partial<TeamListQuery>): TeamListQuery {
  return {
    plan: planTeamList(
      {
        kind: "user",
        userId: "00000000-0000-0000-0000-000000000000",
        isSystemAdmin: true,
        adminOrgIds: [],
        sessionId: "s",
      },
      {},
    ),
    filters: {},
    sortBy: "createdAt",
    sortOrder: "desc",
    pageSize: 100,
    offset: 0,
    after: null,
    now: new Date(),
    expiryGraceDays: 30,
    totalCap: 10_000,
    ...over,
  };
}
