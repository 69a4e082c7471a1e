/**
 * People channel of the dispatch: in-app notifications for the people the event concerns
 * (core inAppAudience), and mails to the recipient groups the organization chose for its type
 * (core mailAudience) minus the people who opted out of that type. Both are written in the
 * dispatch's transaction (the notifications' unique key and the event's dispatched mark make
 * a second run write nothing); each mail is its own durable `mail.send` job.
 */
import {
  inAppAudience,
  mailAudience,
  mailLayout,
  notificationMail,
  type AlertSettings,
} from "@gatehouse/core";
import {
  eventMailRecipients,
  eventSubjectNames,
  getAlertSettings,
  insertEventNotifications,
  queueMail,
} from "@gatehouse/db";
import type { Channel } from "./dispatch.ts";

export const fanOutToInbox: Channel = async (tx, event, deps) => {
  const routing = { organizationId: event.organizationId, teamId: event.teamId };
  const notified = await insertEventNotifications(
    tx,
    event.id,
    { ...routing, groups: inAppAudience(event) },
    deps.clock.now(),
  );
  const settings: AlertSettings | null =
    event.organizationId === null ? null : await getAlertSettings(tx, event.organizationId);
  const groups = mailAudience(event, settings);
  const recipients = await eventMailRecipients(tx, event.type, { ...routing, groups });
  if (recipients.length > 0) {
    const names = await eventSubjectNames(tx, routing);
    const content = mailLayout(notificationMail(event, names, deps.publicUrl()));
    for (const r of recipients) {
      await queueMail(tx, { to: r.email, purpose: "notification", content, userId: r.userId });
    }
  }
  return { channel: "inbox", count: notified + recipients.length };
};
