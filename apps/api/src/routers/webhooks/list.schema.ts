import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZWebhook } from "./shared.schema.ts";

export const ZWebhooksListInput = z
  .strictObject({
    /** Absent: the global endpoints (system administrators only). */
    organizationId: ZId.optional(),
  })
  .default({});

export const ZWebhooksListOutput = z.object({ items: z.array(ZWebhook) });
