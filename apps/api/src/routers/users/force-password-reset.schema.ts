import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZForcePasswordResetInput = z.strictObject({ userId: ZId });

export const ZForcePasswordResetOutput = z.object({
  userId: ZId,
  sessionsEnded: z.number().int(),
});
