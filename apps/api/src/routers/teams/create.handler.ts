import { ZCreateTeamInput, ZCreateTeamOutput } from "./create.schema.ts";
import { canCreateTeam, forbidden, notFound } from "@gatehouse/core";
import { createTeamWithAudit } from "@gatehouse/db";
import { auditRow } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";

/** teams.create: system admins anywhere; organization admins in their organization. */
export const create = authedProcedure
  .input(ZCreateTeamInput)
  .output(ZCreateTeamOutput)
  .mutation(async ({ ctx, input }) => {
    if (!canCreateTeam(ctx.actor, input.organizationId)) {
      throw forbidden(
        input.organizationId
          ? "You cannot create teams in this organization"
          : "Only system administrators can create teams without an organization",
      );
    }
    if (input.alwaysFree && !ctx.actor.isSystemAdmin)
      throw forbidden("You may not change: alwaysFree");
    const now = ctx.clock.now();
    // One statement (each round trip costs under load): the organization's name, the team
    // and its audit event (whose target is the new team's id, filled in by the statement).
    const { targetId: _, ...audit } = auditRow(ctx, {
      action: "team.create",
      targetType: "team",
      targetId: "",
      organizationId: input.organizationId,
      details: { name: input.name },
    });
    const team = await createTeamWithAudit(
      ctx.db,
      {
        name: input.name,
        organizationId: input.organizationId,
        alwaysFree: input.alwaysFree,
        now,
      },
      audit,
    );
    if (!team) throw notFound("Organization");
    return {
      id: team.id,
      name: team.name,
      organization: team.organization,
      createdAt: toIso(team.createdAt),
      alwaysFree: team.alwaysFree,
      lastPaymentAt: toIsoOrNull(team.lastPaymentAt),
      membersCount: 0,
      keysCount: 0,
      activeProducts: [],
      renewals: [],
      expired: false,
      blocked: false,
      spendUsd: null,
    };
  });
