/**
 * orgs.addMember: adds a person to an organization with a role, or sets the role of a
 * member. An org admin (or org-scoped token) adds only people already in one of their
 * organizations (core userVisibility); anyone else joins by an invitation they accept
 * (invitations.create), so it is refused here. System admins may add anyone.
 */
import { DomainError, notFound, userVisibility } from "@gatehouse/core";
import { changeOrgMembership, isMemberOrVisible, transaction, userIsActive } from "@gatehouse/db";
import { serviceTokensStoppedByOrgRoleLoss } from "../../auth/service-tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import { orgAdminProcedure } from "../../trpc/init.ts";
import { ZOrgsAddMemberInput, ZOrgsAddMemberOutput } from "./add-member.schema.ts";

export const addMember = orgAdminProcedure
  .input(ZOrgsAddMemberInput)
  .output(ZOrgsAddMemberOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      if (!(await userIsActive(tx, input.userId))) throw notFound("User");
      // A member of this organization is known to its admins (a role change); anyone else
      // must already be in one of the caller's organizations.
      const visibility = userVisibility(ctx.actor);
      const visible =
        visibility.kind === "everyone" ||
        (await isMemberOrVisible(tx, input.userId, input.organizationId, visibility));
      if (!visible) {
        throw new DomainError(
          "FORBIDDEN",
          "This person is not in any of your organizations: invite them instead (invitations.create), or ask a system administrator to add them",
        );
      }
      // Adding an existing member sets their role: the call is idempotent. Locked and
      // checked in db, so no path demotes an organization's last admin.
      const change = await changeOrgMembership(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        to: input.role,
        now: ctx.clock.now(),
      });
      const existing = change.from !== null;
      // Their tokens for this organization act with at most their role here.
      const stoppedServiceTokens =
        change.from === "ORG_ADMIN" && input.role !== "ORG_ADMIN"
          ? await serviceTokensStoppedByOrgRoleLoss(tx, {
              userId: input.userId,
              organizationId: input.organizationId,
              from: change.from,
            })
          : null;
      await writeAudit(tx, ctx, {
        action: existing ? "org.member.setRole" : "org.member.add",
        targetType: "organization",
        targetId: input.organizationId,
        organizationId: input.organizationId,
        details: {
          userId: input.userId,
          role: input.role,
          ...(existing ? { from: change.from } : {}),
          ...(stoppedServiceTokens ? { stoppedServiceTokens } : {}),
        },
      });
      return { organizationId: input.organizationId, userId: input.userId, role: input.role };
    }),
  );
