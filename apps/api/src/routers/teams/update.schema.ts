import { ROTATE_EVERY_DAYS_MAX, ROTATE_EVERY_DAYS_MIN } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTimeInput, ZId, ZName } from "../shared.schema.ts";

export const ZTeamsUpdateOutput = z.object({
  id: z.string(),
  name: z.string(),
  alwaysFree: z.boolean(),
  lastPaymentAt: z.string().nullable(),
  /** The team's key rotation policy (products may set a smaller one). */
  rotateEveryDays: z.number().nullable(),
});

export const ZUpdateTeamInput = z.strictObject({
  teamId: ZId,
  name: ZName.optional(),
  alwaysFree: z.boolean().optional(),
  lastPaymentAt: ZDateTimeInput.nullable().optional(),
  /** Rotate the team's keys every so many days (null: no policy of the team's own). */
  rotateEveryDays: z
    .number()
    .int()
    .min(ROTATE_EVERY_DAYS_MIN)
    .max(ROTATE_EVERY_DAYS_MAX)
    .nullable()
    .optional(),
});
