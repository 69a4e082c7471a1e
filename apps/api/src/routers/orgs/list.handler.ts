import { listOrganizationsPage } from "@gatehouse/db";
import { pageOf, toIso } from "../shared.schema.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { memberIdOf } from "../../trpc/team-access.ts";
import { ZOrgsListInput, ZOrgsListOutput } from "./list.schema.ts";

export const list = authedProcedure
  .input(ZOrgsListInput)
  .output(ZOrgsListOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    const userId = memberIdOf(actor);
    const { total, organizations } = await listOrganizationsPage(
      ctx.db,
      {
        scope: actor.isSystemAdmin
          ? { all: true }
          : userId
            ? { memberId: userId }
            : { ids: actor.adminOrgIds },
        search: input.search,
        skip: (input.page - 1) * input.pageSize,
        take: input.pageSize,
      },
      userId,
    );
    return pageOf(
      organizations.map((o) => ({
        id: o.id,
        name: o.name,
        createdAt: toIso(o.createdAt),
        myRole:
          o.role ??
          (actor.kind === "service" && actor.adminOrgIds.includes(o.id) ? "ORG_ADMIN" : null),
        teamsCount: o.teamsCount,
        membersCount: o.membersCount,
      })),
      total,
      input,
    );
  });
