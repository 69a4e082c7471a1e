import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZKeyRevealSecretInput = z.strictObject({ keyId: ZId });

export const ZKeyRevealSecretOutput = z.object({
  /** The secret a scheduled rotation made, answered once. */
  secret: z.string(),
  keyPrefix: z.string(),
});
