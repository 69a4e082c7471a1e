import { z } from "zod";
import { ZPassword } from "../shared.schema.ts";

export const ZResetPasswordInput = z.strictObject({
  /** The `token` of the link in the reset mail. */
  token: z.string().min(1, { error: "is required" }).max(512),
  password: ZPassword,
});

/** The password is set and every session ended; the person signs in with it next. */
export const ZResetPasswordOutput = z.object({ ok: z.literal(true) });
