/**
 * teams.setMemberBudget: a member's budget inside the team, enforced by LiteLLM itself
 * (`/team/member_update` `max_budget_in_team`, open source: `team_member_update` in
 * team_endpoints.py), pushed as a durable job to every region's proxy (Gatehouse does not
 * record where a team exists; a proxy without the team has nothing to budget, and a key
 * created there later queues the push again). Team admins (manageMembers).
 */
import { jobs, litellmTeamId, notFound } from "@gatehouse/core";
import {
  enqueueJobs,
  lockTeam,
  setMemberBudget as writeMemberBudget,
  teamRegionNames,
  transaction,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { teamProcedure } from "../../trpc/init.ts";
import { ZSetMemberBudgetInput, ZSetMemberBudgetOutput } from "./set-member-budget.schema.ts";

export const setMemberBudget = teamProcedure("manageMembers", ZSetMemberBudgetInput)
  .output(ZSetMemberBudgetOutput)
  .mutation(async ({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      if (!(await lockTeam(tx, input.teamId))) throw notFound("Team");
      const result = await writeMemberBudget(tx, input);
      if (!result.found) throw notFound("Member", { field: "userId" });
      const regions = await teamRegionNames(tx);
      await enqueueJobs(
        tx,
        [...regions].map(([regionId, region]) =>
          jobs.setMemberBudget(
            {
              teamId: litellmTeamId(region.name, input.teamId),
              gatehouseTeamId: input.teamId,
              userId: input.userId,
            },
            { regionId },
          ),
        ),
      );
      await writeAudit(tx, ctx, {
        action: "team.member.setBudget",
        targetType: "team",
        targetId: input.teamId,
        organizationId: ctx.teamAccess.team.organizationId,
        details: { userId: input.userId, from: result.before, to: input.maxBudgetUsd },
      });
      return { teamId: input.teamId, userId: input.userId, maxBudgetUsd: input.maxBudgetUsd };
    }),
  );
