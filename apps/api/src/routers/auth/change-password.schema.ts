import { z } from "zod";
import { ZPassword } from "../shared.schema.ts";

export const ZChangePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, { error: "is required" }).max(256),
  newPassword: ZPassword,
});

/** The password is changed; this session stays, the others ended. */
export const ZChangePasswordOutput = z.object({
  ok: z.literal(true),
  sessionsEnded: z.number().int(),
});
