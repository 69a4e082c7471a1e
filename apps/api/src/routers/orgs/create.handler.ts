import { findOrganizationIdByName, insertOrganization } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { createWithUniqueName } from "../unique-name.ts";
import { toIso } from "../shared.schema.ts";
import { ZOrgsCreateInput, ZOrgsCreateOutput } from "./create.schema.ts";

export const create = adminProcedure
  .input(ZOrgsCreateInput)
  .output(ZOrgsCreateOutput)
  .mutation(({ ctx, input }) =>
    createWithUniqueName(
      ctx,
      input.name,
      findOrganizationIdByName,
      "An organization",
      async (tx) => {
        const org = await insertOrganization(tx, { name: input.name, createdAt: ctx.clock.now() });
        await writeAudit(tx, ctx, {
          action: "org.create",
          targetType: "organization",
          targetId: org.id,
          organizationId: org.id,
          details: { name: org.name },
        });
        return {
          id: org.id,
          name: org.name,
          createdAt: toIso(org.createdAt),
          myRole: null,
          teamsCount: 0,
          membersCount: 0,
        };
      },
    ),
  );
