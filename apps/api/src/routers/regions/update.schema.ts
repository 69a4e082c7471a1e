import { ZRegionName } from "@gatehouse/core";
import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZBaseUrl, ZMasterKey, ZRegion } from "./shared.schema.ts";

export const ZRegionsUpdateInput = z.strictObject({
  regionId: ZId,
  name: ZRegionName.optional(),
  litellmBaseUrl: ZBaseUrl.optional(),
  litellmMasterKey: ZMasterKey.optional(),
  isActive: z.boolean().optional(),
});

export const ZRegionsUpdateOutput = ZRegion;
