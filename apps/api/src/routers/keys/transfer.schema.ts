import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZKeyBlockOutput } from "./shared.schema.ts";

export const ZKeyTransferInput = z.strictObject({ keyId: ZId, toUserId: ZId });

export const ZKeyTransferOutput = ZKeyBlockOutput.extend({
  keyId: ZId,
  /** The key's owner now (Gatehouse and, once the job ran, the proxy). */
  ownerId: ZId,
});
