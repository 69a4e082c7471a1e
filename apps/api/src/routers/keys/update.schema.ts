import { ZKeyLimitsInput, ZKeyName } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTimeInput, ZId } from "../shared.schema.ts";
export { ZKeyDetail as ZKeyUpdateOutput } from "./get.schema.ts";

export const ZKeyUpdateInput = z.strictObject({
  keyId: ZId,
  name: ZKeyName.optional(),
  /** The fields given replace the key's own (null clears one); the others stay. */
  limits: ZKeyLimitsInput.optional(),
  /** null: never expires (refused under a product's lifetime cap). */
  expiresAt: ZDateTimeInput.nullable().optional(),
});
