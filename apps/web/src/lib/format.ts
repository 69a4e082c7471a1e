import { teamRoles, type TeamRole } from "@gatehouse/core";

/** Dates arrive as ISO strings (the API has no transformer); these render them for people. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return dateTime.format(new Date(iso));
}

const usd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** USD for people; null (never read) is "—", never "$0.00". */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return usd.format(value);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  return dateOnly.format(new Date(iso));
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/** "in 5 minutes", "3 days ago"; `now` is injectable for tests. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "—";
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms || unit === "second")
      return relative.format(Math.round(diff / ms), unit);
  }
  return "—";
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Team roles, most rights first (core's list): the order of every role list. */
export type TeamRoleName = TeamRole;

export const teamRoleLabel: Record<TeamRoleName, string> = {
  ADMIN: "Admin",
  KEY_CREATOR: "Key creator",
  MEMBER: "Member",
  READ_ONLY: "Read-only",
};

/** The role choices of a select. */
export const teamRoleOptions = teamRoles.map((r) => ({ value: r, label: teamRoleLabel[r] }));
