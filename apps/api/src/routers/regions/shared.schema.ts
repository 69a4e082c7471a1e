import { ZLitellmBaseUrl, ZLitellmMasterKey } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZBaseUrl = ZLitellmBaseUrl;

export const ZMasterKey = ZLitellmMasterKey;

export const ZRegion = z.object({
  id: ZId,
  name: z.string(),
  litellmBaseUrl: z.string(),
  isActive: z.boolean(),
  createdAt: ZDateTime,
});
