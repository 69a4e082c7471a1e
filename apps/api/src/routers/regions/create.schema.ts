import { ZRegionName } from "@gatehouse/core";
import { z } from "zod";
import { ZBaseUrl, ZMasterKey } from "./shared.schema.ts";

export const ZRegionsCreateInput = z.strictObject({
  name: ZRegionName,
  litellmBaseUrl: ZBaseUrl,
  litellmMasterKey: ZMasterKey,
  isActive: z.boolean().default(true),
});
