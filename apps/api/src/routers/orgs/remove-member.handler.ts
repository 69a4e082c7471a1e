/**
 * orgs.removeMember. A team of an organization takes only members of that organization, so
 * leaving the organization is leaving each of its teams, in the same transaction and with
 * the same consequences as teams.removeMember (keys `owner_left`, off the LiteLLM teams).
 * The last-team-admin rule does not apply: an organization admin may leave a team without
 * an admin. The audit event lists the teams.
 */
import {
  changeOrgMembership,
  leaveTeams,
  lockTeam,
  orgTeamMemberships,
  transaction,
} from "@gatehouse/db";
import { serviceTokensStoppedByOrgRoleLoss } from "../../auth/service-tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { orgAdminProcedure } from "../../trpc/init.ts";
import { ZOrgsRemoveMemberInput, ZOrgsRemoveMemberOutput } from "./remove-member.schema.ts";

export const removeMember = orgAdminProcedure
  .input(ZOrgsRemoveMemberInput)
  .output(ZOrgsRemoveMemberOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    await transaction(ctx.db, async (tx) => {
      // The organization membership first (its row lock): a concurrent teams.addMember of
      // this person, which holds that row FOR KEY SHARE, either committed before (its team
      // is found below) or finds the person gone.
      const change = await changeOrgMembership(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        to: null,
        now,
      });
      const stoppedServiceTokens =
        change.from === "ORG_ADMIN"
          ? await serviceTokensStoppedByOrgRoleLoss(tx, {
              userId: input.userId,
              organizationId: input.organizationId,
              from: change.from,
            })
          : null;
      // Team rows in id order (as every multi-team lock here), then the memberships as
      // they are under those locks.
      const candidates = await orgTeamMemberships(tx, input.organizationId, input.userId);
      for (const team of candidates) await lockTeam(tx, team.teamId);
      const teams = await orgTeamMemberships(tx, input.organizationId, input.userId);
      const left = await leaveTeams(tx, {
        teamIds: teams.map((t) => t.teamId),
        userId: input.userId,
        now,
      });
      await writeAudit(tx, ctx, {
        action: "org.member.remove",
        targetType: "organization",
        targetId: input.organizationId,
        organizationId: input.organizationId,
        details: {
          userId: input.userId,
          role: change.from,
          teams: teams.map((t) => ({ teamId: t.teamId, name: t.name, role: t.role })),
          blockedKeys: left.blockedKeys,
          ...(stoppedServiceTokens ? { stoppedServiceTokens } : {}),
        },
      });
    });
    return { ok: true as const };
  });
