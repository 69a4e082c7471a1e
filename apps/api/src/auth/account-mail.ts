/**
 * The account mails' links and their queueing. Mail goes through the durable mail queue
 * (packages/db queueMail, sent by the worker), queued in the transaction of the change it
 * reports, so it exists exactly when the change committed. Links carry the token as
 * `?token=`.
 */
import type { MailContent, MailPurpose } from "@gatehouse/core";
import { queueMail, type Tx } from "@gatehouse/db";
import { publicUrlOf, type AppConfig } from "../config.ts";

type UrlConfig = Pick<AppConfig, "publicUrl" | "host" | "port">;

/** `origin`: the public origin (publicUrlOf), or the configuration to take it from. */
const originOf = (origin: UrlConfig | string): string =>
  typeof origin === "string" ? origin : publicUrlOf(origin);

export const invitationAcceptUrl = (origin: UrlConfig | string, token: string): string =>
  `${originOf(origin)}/invitations/accept?token=${encodeURIComponent(token)}`;

export const passwordResetUrl = (origin: UrlConfig | string, token: string): string =>
  `${originOf(origin)}/reset-password?token=${encodeURIComponent(token)}`;

export interface AccountMail {
  to: string;
  purpose: MailPurpose;
  content: MailContent;
  userId?: string;
}

export async function queueAccountMail(tx: Tx, mail: AccountMail): Promise<void> {
  await queueMail(tx, mail);
}
