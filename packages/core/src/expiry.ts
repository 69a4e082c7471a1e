/**
 * Team expiry, the "expired" badge: one rule used by the API's filter and by the UI.
 * A team is expired when it is not always-free, has no active product, and more than
 * `graceDays` have passed since its last payment (or since creation if it never paid).
 */
export const DEFAULT_EXPIRY_GRACE_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TeamExpiryFacts {
  alwaysFree: boolean;
  hasActiveProduct: boolean;
  lastPaymentAt: Date | null;
  createdAt: Date;
}

export function isTeamExpired(
  team: TeamExpiryFacts,
  now: Date,
  graceDays: number = DEFAULT_EXPIRY_GRACE_DAYS,
): boolean {
  if (team.alwaysFree || team.hasActiveProduct) return false;
  const paidOrCreated = team.lastPaymentAt ?? team.createdAt;
  return now.getTime() - paidOrCreated.getTime() > graceDays * DAY_MS;
}

/**
 * The instant before which a team's payment (or creation) makes it expired. The listing's
 * `expired` filter uses it so SQL and this module cannot disagree.
 */
export function expiryCutoff(now: Date, graceDays: number = DEFAULT_EXPIRY_GRACE_DAYS): Date {
  return new Date(now.getTime() - graceDays * DAY_MS);
}
