import { notFound } from "@gatehouse/core";
import { findMail } from "@gatehouse/db";
import { adminProcedure } from "../../trpc/init.ts";
import { ZOutboxGetInput, ZOutboxGetOutput } from "./get.schema.ts";
import { toOutboxMail } from "./shared.ts";

/**
 * outbox.get: one mail with its bodies (system admins). In the local outbox they are the
 * delivery itself (an invitation link, a reset link), which is why only system admins
 * read them; once sent over SMTP they are gone from Gatehouse.
 */
export const get = adminProcedure
  .input(ZOutboxGetInput)
  .output(ZOutboxGetOutput)
  .query(async ({ ctx, input }) => {
    const mail = await findMail(ctx.db, input.mailId);
    if (!mail) throw notFound("Mail");
    return { ...toOutboxMail(mail), text: mail.text, html: mail.html };
  });
