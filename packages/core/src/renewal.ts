/**
 * Product renewal: when an attached product lapses and when it renews. One rule used by the
 * expiry sweep (in SQL through `lapseCutoff`), by teams.update (a payment renews) and by the
 * UI ("renews on" / "lapsed on").
 *
 * A period runs from the later of the team's last payment and the product's attachment. An
 * ACTIVE product whose `renewalPeriodDays` plus the expiry grace (GATEHOUSE_EXPIRY_GRACE_DAYS)
 * have passed since then lapses: it no longer counts as an active product (entitlement,
 * expiry). A payment starts a new period; a LAPSED product whose new period has not run out
 * is ACTIVE again. CANCELLED (detached) products never renew.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export const productAttachmentStatuses = ["ACTIVE", "CANCELLED", "LAPSED"] as const;
export type ProductAttachmentStatus = (typeof productAttachmentStatuses)[number];

export interface ProductRenewalFacts {
  status: ProductAttachmentStatus;
  attachedAt: Date;
  lastPaymentAt: Date | null;
  renewalPeriodDays: number;
  lapsedAt: Date | null;
}

/** The later of the last payment and the attachment. */
export function renewalPeriodStart(attachedAt: Date, lastPaymentAt: Date | null): Date {
  return lastPaymentAt && lastPaymentAt > attachedAt ? lastPaymentAt : attachedAt;
}

/** The end of the current period: the date shown as "renews on". */
export function productRenewsOn(facts: ProductRenewalFacts): Date {
  const start = renewalPeriodStart(facts.attachedAt, facts.lastPaymentAt);
  return new Date(start.getTime() + facts.renewalPeriodDays * DAY_MS);
}

/** The instant after which an unpaid period lapses (renews on + grace). */
export function productLapsesAfter(facts: ProductRenewalFacts, graceDays: number): Date {
  return new Date(productRenewsOn(facts).getTime() + graceDays * DAY_MS);
}

/** Whether the period plus grace is over (status aside). */
function periodOver(facts: ProductRenewalFacts, now: Date, graceDays: number): boolean {
  return now.getTime() > productLapsesAfter(facts, graceDays).getTime();
}

/** An ACTIVE product whose period plus grace has passed lapses now. */
export function shouldLapse(facts: ProductRenewalFacts, now: Date, graceDays: number): boolean {
  return facts.status === "ACTIVE" && periodOver(facts, now, graceDays);
}

/**
 * After a payment is recorded (`facts.lastPaymentAt` the new date): a LAPSED product whose
 * new period has not run out is ACTIVE again. A payment dated so far back that the period
 * is over already renews nothing.
 */
export function shouldRenew(facts: ProductRenewalFacts, now: Date, graceDays: number): boolean {
  return facts.status === "LAPSED" && !periodOver(facts, now, graceDays);
}

/**
 * The sweep's SQL form of `shouldLapse` for one product: an ACTIVE attachment lapses when
 * its period start is before this instant.
 */
export function lapseCutoff(now: Date, renewalPeriodDays: number, graceDays: number): Date {
  return new Date(now.getTime() - (renewalPeriodDays + graceDays) * DAY_MS);
}

/** What the UI shows beside an attached product. */
export function renewalView(facts: ProductRenewalFacts): {
  renewsOn: Date | null;
  lapsedOn: Date | null;
} {
  if (facts.status === "ACTIVE") return { renewsOn: productRenewsOn(facts), lapsedOn: null };
  if (facts.status === "LAPSED") return { renewsOn: null, lapsedOn: facts.lapsedAt };
  return { renewsOn: null, lapsedOn: null };
}
