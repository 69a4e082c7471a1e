/**
 * The people channel of events (core events.ts): who gets an event in the app and by mail,
 * and the words they read (the bell, the notifications page, the mail). Pure: the dispatch
 * (apps/api events/to-inbox.ts) resolves the groups to people in one set-based query.
 */
import { z } from "zod";
import {
  EVENT_TYPES,
  emailRecipientsFor,
  eventBodies,
  isOperationsEvent,
  ZEventType,
  DEFAULT_ALERT_SETTINGS,
  type AlertSettings,
  type EventType,
  type RecipientGroup,
} from "./events.ts";
import type { MailLayoutInput } from "./mail.ts";

/** What the people channel needs of an event: its routing fields. */
export interface EventRouting {
  type: EventType;
  organizationId: string | null;
  teamId: string | null;
}

/**
 * Who gets the event in the app: the admins of its team, the admins of its organization,
 * and system admins for operations events and for events no organization owns (nobody else
 * would hear of them). `test` events (a webhook's "send a test event") reach no one here:
 * they test an endpoint, not people.
 */
export function inAppAudience(event: EventRouting): RecipientGroup[] {
  if (event.type === "test") return [];
  const groups: RecipientGroup[] = [];
  if (event.teamId !== null) groups.push("team_admins");
  if (event.organizationId !== null && !isOperationsEvent(event.type)) groups.push("org_admins");
  if (isOperationsEvent(event.type) || event.organizationId === null) groups.push("system_admins");
  return groups;
}

/**
 * Who gets the event by mail: the groups its organization chose for the type (defaults when
 * none, or when no organization owns it). A group that cannot concern the event (team admins
 * of an event without a team) is dropped. Personal opt-outs are applied per person after.
 */
export function mailAudience(
  event: EventRouting,
  settings: AlertSettings | null,
): RecipientGroup[] {
  if (event.type === "test") return [];
  const chosen = emailRecipientsFor(
    event.organizationId === null || settings === null ? DEFAULT_ALERT_SETTINGS : settings,
    event.type,
  );
  return [...new Set(chosen)].filter(
    (group) =>
      (group !== "team_admins" || event.teamId !== null) &&
      (group !== "org_admins" || event.organizationId !== null),
  );
}

/** A person's mail opt-outs (notifications.getPreferences / updatePreferences). */
export const ZNotificationPreferences = z.object({
  /** Event types this person receives no mail for (the in-app notification still comes). */
  emailOptOuts: z
    .array(ZEventType)
    .max(EVENT_TYPES.length)
    .transform((t) => [...new Set(t)].sort()),
});
export type NotificationPreferences = z.output<typeof ZNotificationPreferences>;

/** Names the reader may see, beside the ids in the body. */
export interface EventNames {
  teamName?: string | null;
  organizationName?: string | null;
}

export interface NotificationText {
  title: string;
  summary: string;
}

const usd = (n: number): string =>
  `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const day = (iso: string): string => iso.slice(0, 10);

/** Short human labels of the event types (the settings screens, the opt-out list). */
export const EVENT_TYPE_LABELS: Readonly<Record<EventType, string>> = {
  "budget.threshold": "Budget threshold crossed",
  "budget.forecast": "Budget forecast to run out",
  "team.expiry_warning": "Team expiring soon",
  "team.blocked": "Team blocked",
  "team.unblocked": "Team unblocked",
  "key.blocked": "Key blocked",
  "key.unblocked": "Key unblocked",
  "product.lapsed": "Product lapsed",
  "region.sync_failing": "Region sync failing",
  "region.drift": "Region drift found",
  "jobs.failing": "Jobs failing",
  test: "Test event",
};

/**
 * The words of a notification, from the event's body. A body that does not match its type
 * (an older shape) still reads as its type's label, never as an error.
 */
export function notificationText(
  type: EventType,
  data: unknown,
  names: EventNames = {},
): NotificationText {
  const team = names.teamName ? `Team ${names.teamName}` : "A team";
  const ofTeam = names.teamName ? `team ${names.teamName}` : "a team";
  const fallback = { title: EVENT_TYPE_LABELS[type], summary: EVENT_TYPE_LABELS[type] + "." };
  const parsed = eventBodies[type].safeParse(data);
  if (!parsed.success) return fallback;
  const body: unknown = parsed.data;
  switch (type) {
    case "budget.threshold": {
      const b = body as z.infer<(typeof eventBodies)["budget.threshold"]>;
      const where = b.regionId === null ? "in total" : "in one region";
      return {
        title: `${team} reached ${b.thresholdPercent}% of its budget`,
        summary: `${team} has spent ${usd(b.spendUsd)} of its ${usd(b.budgetUsd)} budget ${where}${
          b.periodResetAt ? `; the budget resets on ${day(b.periodResetAt)}` : ""
        }.`,
      };
    }
    case "budget.forecast": {
      const b = body as z.infer<(typeof eventBodies)["budget.forecast"]>;
      return {
        title: `${team} will run out of budget on ${b.exhaustedOn}`,
        summary: `At ${usd(b.dailyRateUsd)} a day, ${names.teamName ? team : "the team"} spends the rest of its ${usd(b.budgetUsd)} budget (${usd(b.spendUsd)} spent) by ${b.exhaustedOn}${
          b.periodResetAt ? `, before it resets on ${day(b.periodResetAt)}` : ""
        }.`,
      };
    }
    case "team.expiry_warning": {
      const b = body as z.infer<(typeof eventBodies)["team.expiry_warning"]>;
      const when = b.daysLeft === 1 ? "1 day" : `${b.daysLeft} days`;
      return {
        title: `${team} will be blocked for expiry in ${when}`,
        summary: `${team} will be blocked on ${day(b.expiresAt)} unless a payment is recorded.`,
      };
    }
    case "team.blocked": {
      const b = body as z.infer<(typeof eventBodies)["team.blocked"]>;
      return {
        title: `${team} was blocked`,
        summary: `${team} was blocked (${b.reason})${b.note ? `: ${b.note}` : ""}.`,
      };
    }
    case "team.unblocked": {
      const b = body as z.infer<(typeof eventBodies)["team.unblocked"]>;
      return { title: `${team} was unblocked`, summary: `${team} was unblocked (${b.reason}).` };
    }
    case "key.blocked": {
      const b = body as z.infer<(typeof eventBodies)["key.blocked"]>;
      return {
        title: `Key ${b.keyName} was blocked`,
        summary: `Key ${b.keyName} of ${ofTeam} was blocked (${b.reason})${b.note ? `: ${b.note}` : ""}.`,
      };
    }
    case "key.unblocked": {
      const b = body as z.infer<(typeof eventBodies)["key.unblocked"]>;
      return {
        title: `Key ${b.keyName} was unblocked`,
        summary: `Key ${b.keyName} of ${ofTeam} was unblocked (${b.reason}).`,
      };
    }
    case "product.lapsed": {
      const b = body as z.infer<(typeof eventBodies)["product.lapsed"]>;
      return {
        title: `Product ${b.productName} lapsed`,
        summary: `${team}'s product ${b.productName} lapsed on ${day(b.lapsedAt)} without a payment.`,
      };
    }
    case "region.sync_failing": {
      const b = body as z.infer<(typeof eventBodies)["region.sync_failing"]>;
      return {
        title: `Region ${b.regionName}: ${b.operation.replace("_", " ")} failing`,
        summary: `Region ${b.regionName}'s ${b.operation.replace("_", " ")} has failed since ${b.failingSince}.`,
      };
    }
    case "region.drift": {
      const b = body as z.infer<(typeof eventBodies)["region.drift"]>;
      return {
        title: `Region ${b.regionName} drifted`,
        summary: `Reconciling region ${b.regionName} found ${b.differences} difference${b.differences === 1 ? "" : "s"}.`,
      };
    }
    case "jobs.failing": {
      const b = body as z.infer<(typeof eventBodies)["jobs.failing"]>;
      return {
        title: "Jobs are failing",
        summary: `${b.failedJobs} job${b.failedJobs === 1 ? "" : "s"} failed; the oldest waiting job is ${Math.round(b.oldestPendingSeconds)} s old.`,
      };
    }
    case "test":
      return fallback;
  }
}

/**
 * The mail of an event: its notification's words, and a link to where it can be acted on
 * (the team's page when the event names a team, else the notifications page). Bodies hold
 * ids, names and amounts only: never a secret.
 */
export function notificationMail(
  event: EventRouting & { data: unknown },
  names: EventNames,
  origin: string,
): MailLayoutInput {
  const text = notificationText(event.type, event.data, names);
  const base = origin.replace(/\/+$/, "");
  const action =
    event.teamId !== null
      ? { label: "Open the team", url: `${base}/teams/${encodeURIComponent(event.teamId)}` }
      : { label: "Open your notifications", url: `${base}/notifications` };
  const paragraphs = [text.summary];
  if (names.organizationName) paragraphs.push(`Organization: ${names.organizationName}.`);
  paragraphs.push(
    "You receive this because of your role. You can turn off mails of this kind on your account page.",
  );
  return { heading: text.title, paragraphs, action };
}
