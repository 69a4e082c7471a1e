import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZKeyBlockInput = z.strictObject({
  keyId: ZId,
  /** Why the key is blocked, shown to those who see the key. */
  reason: z.string().trim().min(1).max(500).optional(),
});
export { ZKeyBlockOutput } from "./shared.schema.ts";
