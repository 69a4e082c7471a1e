import { z } from "zod";
import { ZMe } from "../auth/shared.schema.ts";
import { ZName, ZPassword } from "../shared.schema.ts";

export const ZInvitationsAcceptInput = z.strictObject({
  /** The `token` of the link in the invitation mail. */
  token: z.string().min(1, { error: "is required" }).max(512),
  /** The new account's name (ignored when the email already has an account). */
  name: ZName,
  /** The new account's password (ignored when the email already has an account). */
  password: ZPassword.optional(),
});

/** As auth.login answers: the caller, now signed in. */
export const ZInvitationsAcceptOutput = ZMe;
