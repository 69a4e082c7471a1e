import { conflict } from "@gatehouse/core";
import { findOrganizationIdByName, insertOrganization, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZOrgsCreateInput, ZOrgsCreateOutput } from "./create.schema.ts";

export const create = adminProcedure
  .input(ZOrgsCreateInput)
  .output(ZOrgsCreateOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      if (await findOrganizationIdByName(tx, input.name))
        throw conflict("An organization with this name already exists", { field: "name" });
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
    }),
  );
