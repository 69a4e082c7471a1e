import { conflict } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { toIso } from "../shared.schema.ts";
import { ZOrgsCreateInput } from "./create.schema.ts";
import { ZOrganization } from "./shared.schema.ts";

export const create = adminProcedure
  .input(ZOrgsCreateInput)
  .output(ZOrganization)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const taken = await tx.organization.findUnique({
        where: { name: input.name },
        select: { id: true },
      });
      if (taken) throw conflict("An organization with this name already exists", { field: "name" });
      const org = await tx.organization.create({
        data: { name: input.name, createdAt: ctx.clock.now() },
      });
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
