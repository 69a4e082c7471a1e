/**
 * People channel of the dispatch: in-app notifications for the people the event concerns,
 * and mails to the recipient groups the organization chose for its type (minus opt-outs).
 * SEAM: filled by the notifications work (issue 25); until then it tells no one.
 */
import type { Channel } from "./dispatch.ts";

export const fanOutToInbox: Channel = async () => ({ channel: "inbox", count: 0 });
