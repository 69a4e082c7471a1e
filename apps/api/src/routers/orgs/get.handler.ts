import { notFound } from "@gatehouse/core";
import { findOrganizationDetail, findOrgRole } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import { ZOrgsGetInput, ZOrgsGetOutput } from "./get.schema.ts";

/** One organization with its members and their roles: system admins and its members. */
export const get = authedProcedure
  .input(ZOrgsGetInput)
  .output(ZOrgsGetOutput)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    // The caller's role by a direct lookup, not from the (capped) member list below: a
    // member past the first 1,000 is still a member.
    const myRole =
      actor.kind === "user"
        ? await findOrgRole(ctx.db, input.organizationId, actor.userId)
        : actor.adminOrgIds.includes(input.organizationId)
          ? ("ORG_ADMIN" as const)
          : null;
    // Not a member: "not found" rather than "forbidden", so ids cannot be probed.
    if (!actor.isSystemAdmin && myRole === null) throw notFound("Organization");
    const org = await findOrganizationDetail(ctx.db, input.organizationId);
    if (!org) throw notFound("Organization");
    return {
      id: org.id,
      name: org.name,
      createdAt: toIso(org.createdAt),
      myRole,
      teamsCount: org.teamsCount,
      membersCount: org.membersCount,
      spend: { totalUsd: org.spend.totalUsd, asOf: toIsoOrNull(org.spend.asOf) },
      members: org.members,
      ssoEnforced: org.ssoEnforced,
    };
  });
