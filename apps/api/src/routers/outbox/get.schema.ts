import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZOutboxMail } from "./list.schema.ts";

export const ZOutboxGetInput = z.strictObject({ mailId: ZId });

/**
 * One mail with its bodies. They are kept for the local outbox (no SMTP: this is where
 * mail is read) and null once SMTP took the mail or it failed for good (see mail/send.ts).
 */
export const ZOutboxGetOutput = ZOutboxMail.extend({
  text: z.string().nullable(),
  html: z.string().nullable(),
});
