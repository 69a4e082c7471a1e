/**
 * orgs.setSsoEnforced (that organization's admins, system admins): members of an enforcing
 * organization sign in only by single sign-on; system admins keep password sign-in as
 * break-glass. Enforcing is refused while no provider can sign its members in (its own, or
 * a global one with a rule for it), and ends its members' password sessions.
 */
import { DomainError, notFound } from "@gatehouse/core";
import {
  organizationHasSsoProvider,
  revokeOrgPasswordSessions,
  setOrganizationSsoEnforced,
  transaction,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { orgAdminProcedure } from "../../trpc/init.ts";
import { ZOrgsSetSsoEnforcedInput, ZOrgsSetSsoEnforcedOutput } from "./set-sso-enforced.schema.ts";

export const setSsoEnforced = orgAdminProcedure
  .input(ZOrgsSetSsoEnforcedInput)
  .output(ZOrgsSetSsoEnforcedOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const now = ctx.clock.now();
      const was = await setOrganizationSsoEnforced(tx, input.organizationId, input.enforced);
      if (was === undefined) throw notFound("Organization");
      if (input.enforced && !(await organizationHasSsoProvider(tx, input.organizationId))) {
        throw new DomainError(
          "PRECONDITION_FAILED",
          "No identity provider can sign this organization's members in: add one first",
          { field: "enforced" },
        );
      }
      const ended = input.enforced
        ? await revokeOrgPasswordSessions(tx, input.organizationId, now)
        : { sessions: 0, users: 0 };
      await writeAudit(tx, ctx, {
        action: "org.setSsoEnforced",
        targetType: "organization",
        targetId: input.organizationId,
        organizationId: input.organizationId,
        details: {
          enforced: input.enforced,
          from: was,
          endedPasswordSessions: ended.sessions,
          usersSignedOut: ended.users,
        },
      });
      return {
        organizationId: input.organizationId,
        enforced: input.enforced,
        endedSessions: ended.sessions,
      };
    }),
  );
