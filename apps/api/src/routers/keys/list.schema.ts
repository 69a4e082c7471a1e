import { z } from "zod";
import { zPage, ZId, ZPageInput } from "../shared.schema.ts";
import { ZKey } from "./shared.schema.ts";

/**
 * The common page input, except that pageSize keeps the wider range and default keys.list
 * had before the envelope was shared (callers may send up to 200, and omitting it gives 50).
 */
export const ZListKeysInput = ZPageInput.extend({
  teamId: ZId.optional(),
  pageSize: z.number().int().min(1).max(200).default(50),
})
  .strict()
  .default({ page: 1, pageSize: 50 });
export const ZKeyPage = zPage(ZKey);
