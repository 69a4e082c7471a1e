import { z } from "zod";
import { ZDateTimeInput, ZId, ZName } from "../shared.schema.ts";

export const ZTeamsUpdateOutput = z.object({
  id: z.string(),
  name: z.string(),
  alwaysFree: z.boolean(),
  lastPaymentAt: z.string().nullable(),
});

export const ZUpdateTeamInput = z.strictObject({
  teamId: ZId,
  name: ZName.optional(),
  alwaysFree: z.boolean().optional(),
  lastPaymentAt: ZDateTimeInput.nullable().optional(),
});
