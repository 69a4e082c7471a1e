/**
 * users.list. System admins see everyone; org admins see the members of their
 * organizations (one, when `organizationId` is given). Anyone else is refused. Only system
 * admins see the system-admin flag and last sign-in of those listed.
 */
import { pageOf } from "../shared.schema.ts";
import { ZListUsersInput, ZUserPage } from "./list.schema.ts";
import { disclosesPlatformFacts, forbidden, isOrgAdmin } from "@gatehouse/core";
import { listUsersPage } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { toUserOutput } from "./shared.ts";

export const list = authedProcedure
  .input(ZListUsersInput)
  .output(ZUserPage)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let orgScope: string[] | null = null;
    if (input.organizationId) {
      if (!isOrgAdmin(actor, input.organizationId)) throw forbidden();
      orgScope = [input.organizationId];
    } else if (!actor.isSystemAdmin) {
      if (actor.adminOrgIds.length === 0) throw forbidden();
      orgScope = [...actor.adminOrgIds];
    }

    const { total, users } = await listUsersPage(ctx.db, {
      organizationIds: orgScope,
      search: input.search,
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
    });
    const disclose = disclosesPlatformFacts(actor);
    return pageOf(
      users.map((user) => {
        const { isSystemAdmin, lastLoginAt, ...rest } = toUserOutput(user);
        return disclose ? { ...rest, isSystemAdmin, lastLoginAt } : rest;
      }),
      total,
      input,
    );
  });
