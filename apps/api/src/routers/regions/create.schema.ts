import { ZRegionName } from "@gatehouse/core";
import { z } from "zod";
import { ZBaseUrl, ZMasterKey, ZRegion } from "./shared.schema.ts";

export const ZRegionsCreateInput = z.strictObject({
  name: ZRegionName,
  litellmBaseUrl: ZBaseUrl,
  litellmMasterKey: ZMasterKey,
  isActive: z.boolean().default(true),
});

export const ZRegionsCreateOutput = ZRegion;
