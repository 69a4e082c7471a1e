import { conflict } from "@gatehouse/core";
import { findRegionIdByName, insertRegion, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { storedMasterKey } from "../../secrets.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZRegionsCreateInput, ZRegionsCreateOutput } from "./create.schema.ts";
import { toRegion } from "./shared.ts";

export const create = adminProcedure
  .input(ZRegionsCreateInput)
  .output(ZRegionsCreateOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      if (await findRegionIdByName(tx, input.name))
        throw conflict("A region with this name already exists", { field: "name" });
      // The id is chosen here: the sealed master key is bound to it.
      const id = crypto.randomUUID();
      const region = await insertRegion(tx, {
        ...input,
        id,
        litellmMasterKey: storedMasterKey(ctx.config.secretsKey, id, input.litellmMasterKey),
        litellmBaseUrl: input.litellmBaseUrl.replace(/\/+$/, ""),
        createdAt: ctx.clock.now(),
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
