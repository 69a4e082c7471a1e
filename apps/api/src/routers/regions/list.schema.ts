import { z } from "zod";
import { ZDateTime } from "../shared.schema.ts";
import { ZRegion } from "./shared.schema.ts";

export const ZRegionsListOutput = z.array(
  ZRegion.extend({
    litellmBaseUrl: z.string().nullable(),
    lastReconciledAt: ZDateTime.nullable(),
    differenceCount: z.number().int().nullable(),
  }),
);
