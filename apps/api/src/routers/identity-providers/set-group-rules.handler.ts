import { DomainError } from "@gatehouse/core";
import {
  existingOrganizations,
  replaceGroupRules,
  teamOrganizations,
  transaction,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import {
  ZIdentityProvidersSetGroupRulesInput,
  ZIdentityProvidersSetGroupRulesOutput,
} from "./set-group-rules.schema.ts";
import { managedProvider } from "./shared.ts";

/**
 * identityProviders.setGroupRules: replaces the provider's group rules. An organization's
 * provider maps only into that organization; a global one (system admins) anywhere. A rule's
 * team must belong to the rule's organization. The memberships follow at each person's next
 * SSO sign-in.
 */
export const setGroupRules = authedProcedure
  .input(ZIdentityProvidersSetGroupRulesInput)
  .output(ZIdentityProvidersSetGroupRulesOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const owner = await managedProvider(tx, ctx.actor, input.providerId);
      const orgIds = [...new Set(input.rules.map((r) => r.organizationId))];
      const teamIds = [...new Set(input.rules.flatMap((r) => (r.teamId ? [r.teamId] : [])))];
      const [orgs, teams] = await Promise.all([
        existingOrganizations(tx, orgIds),
        teamOrganizations(tx, teamIds),
      ]);
      input.rules.forEach((rule, i) => {
        const field = (name: string) => ({ field: `rules.${i}.${name}` });
        if (owner.organizationId !== null && rule.organizationId !== owner.organizationId) {
          throw new DomainError(
            "BAD_REQUEST",
            "An organization's provider maps only into that organization",
            field("organizationId"),
          );
        }
        if (!orgs.has(rule.organizationId))
          throw new DomainError("BAD_REQUEST", "No such organization", field("organizationId"));
        if (rule.teamId && teams.get(rule.teamId) !== rule.organizationId) {
          throw new DomainError(
            "BAD_REQUEST",
            "The team must be a team of the rule's organization",
            field("teamId"),
          );
        }
      });
      const counts = await replaceGroupRules(
        tx,
        input.providerId,
        input.rules.map((r) => ({
          group: r.group,
          organizationId: r.organizationId,
          orgRole: r.orgRole ?? null,
          teamId: r.teamId ?? null,
          teamRole: r.teamId ? (r.teamRole ?? null) : null,
        })),
        ctx.clock.now(),
      );
      await writeAudit(tx, ctx, {
        action: "identityProvider.setGroupRules",
        targetType: "identityProvider",
        targetId: input.providerId,
        organizationId: owner.organizationId,
        details: { rules: input.rules, ...counts },
      });
      return counts;
    }),
  );
