import { findRegionIdByName, insertRegion } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { storedMasterKey } from "../../secrets.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { createWithUniqueName } from "../unique-name.ts";
import { ZRegionsCreateInput, ZRegionsCreateOutput } from "./create.schema.ts";
import { toRegion } from "./shared.ts";

export const create = adminProcedure
  .input(ZRegionsCreateInput)
  .output(ZRegionsCreateOutput)
  .mutation(({ ctx, input }) =>
    createWithUniqueName(ctx, input.name, findRegionIdByName, "A region", async (tx) => {
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
