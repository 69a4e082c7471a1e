import { ROTATION_DEFAULT_OVERLAP_HOURS, ROTATION_MAX_OVERLAP_HOURS } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZKeyRotateInput = z.strictObject({
  keyId: ZId,
  /** How long the previous secret keeps working; 0 retires it at once. */
  overlapHours: z
    .number()
    .min(0)
    .max(ROTATION_MAX_OVERLAP_HOURS)
    .default(ROTATION_DEFAULT_OVERLAP_HOURS),
});

export const ZKeyRotateOutput = z.object({
  /** The new secret, shown this once. */
  secret: z.string(),
  keyPrefix: z.string(),
  /** The previous secret works until then. */
  retireAt: ZDateTime,
  previousPrefix: z.string(),
});
