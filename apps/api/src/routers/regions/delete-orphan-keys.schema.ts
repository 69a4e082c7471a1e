import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZDeleteOrphanKeysInput = z.strictObject({
  regionId: ZId,
  /** LiteLLM key ids (sha256 hex) to delete; omitted: every orphan the region's proxy holds. */
  keyTokens: z
    .array(
      z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a LiteLLM key id (64 hex digits)" }),
    )
    .min(1)
    .max(1000)
    .optional(),
});

export const ZDeleteOrphanKeysOutput = z.object({
  queued: z.number().int(),
  groupKey: z.string().nullable(),
});
