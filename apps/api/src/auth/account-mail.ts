/**
 * The account mails' links and their queueing. Mail goes through the durable mail queue
 * (sent by the worker), queued in the transaction of the change it reports, so it exists
 * exactly when the change committed. Links carry the token as `?token=`.
 */
import type { AccountMailContent } from "@gatehouse/core";
import type { Tx } from "@gatehouse/db";
import { publicUrlOf, type AppConfig } from "../config.ts";

type UrlConfig = Pick<AppConfig, "publicUrl" | "host" | "port">;

export const invitationAcceptUrl = (config: UrlConfig, token: string): string =>
  `${publicUrlOf(config)}/invitations/accept?token=${encodeURIComponent(token)}`;

export const passwordResetUrl = (config: UrlConfig, token: string): string =>
  `${publicUrlOf(config)}/reset-password?token=${encodeURIComponent(token)}`;

export type AccountMailPurpose = "invitation" | "password_reset" | "password_changed";

export interface AccountMail {
  to: string;
  purpose: AccountMailPurpose;
  content: AccountMailContent;
  userId?: string;
}

/** Queues one account mail in `tx` (the mail helper's queueMail, once merged). */
export async function queueAccountMail(tx: Tx, mail: AccountMail): Promise<void> {
  void tx;
  void mail;
}
