import { conflict } from "@gatehouse/core";
import { writeAudit } from "../../audit/write.ts";
import { storedMasterKey } from "../../secrets.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZRegionsCreateInput } from "./create.schema.ts";
import { ZRegion } from "./shared.schema.ts";
import { regionPublicSelect, toRegion } from "./shared.ts";

export const create = adminProcedure
  .input(ZRegionsCreateInput)
  .output(ZRegion)
  .mutation(({ ctx, input }) =>
    ctx.db.prisma.$transaction(async (tx) => {
      const taken = await tx.region.findUnique({
        where: { name: input.name },
        select: { id: true },
      });
      if (taken) throw conflict("A region with this name already exists", { field: "name" });
      // The id is chosen here: the sealed master key is bound to it.
      const id = crypto.randomUUID();
      const region = await tx.region.create({
        data: {
          ...input,
          id,
          litellmMasterKey: storedMasterKey(ctx.config.secretsKey, id, input.litellmMasterKey),
          litellmBaseUrl: input.litellmBaseUrl.replace(/\/+$/, ""),
          createdAt: ctx.clock.now(),
        },
        select: regionPublicSelect,
      });
      await writeAudit(tx, ctx, {
        action: "region.create",
        targetType: "region",
        targetId: region.id,
        details: {
          name: region.name,
          litellmBaseUrl: region.litellmBaseUrl,
          isActive: region.isActive,
        },
      });
      return toRegion(region);
    }),
  );
