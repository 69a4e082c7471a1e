/**
 * Key rotation rules: how long the previous secret keeps working, the alias it holds on the
 * proxy meanwhile, and which rotation policy applies to a key.
 */

/** keys.rotate's overlap when none is given: a day for clients to pick up the new secret. */
export const ROTATION_DEFAULT_OVERLAP_HOURS = 24;
/** The longest overlap: a secret that should be gone must not linger for months. */
export const ROTATION_MAX_OVERLAP_HOURS = 720;
/** Bounds of a rotation policy (`rotateEveryDays`). */
export const ROTATE_EVERY_DAYS_MIN = 1;
export const ROTATE_EVERY_DAYS_MAX = 3650;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const ALIAS_MAX = 255;

/** When the previous secret stops working: `overlapHours` after the rotation (0: at once). */
export function retireAtFor(now: Date, overlapHours: number): Date {
  return new Date(now.getTime() + Math.max(0, overlapHours) * HOUR_MS);
}

/**
 * The alias a retiring secret holds on the proxy during the overlap. LiteLLM aliases are
 * unique per proxy and the new secret takes the key's own alias (what reconciliation expects
 * of the key), so the old one steps aside to `<alias>-r<8 hex of its token>`: deterministic
 * (a retried job renames to the same), distinct per secret, and still a valid alias
 * (the hex ends it, at most 255 characters).
 */
export function retiringKeyAlias(keyAlias: string, retiringToken: string): string {
  const suffix = `-r${retiringToken.slice(0, 8)}`;
  return `${keyAlias.slice(0, ALIAS_MAX - suffix.length)}${suffix}`.replace(/\.{2,}/g, ".");
}

/**
 * The rotation policy in force for a key: the smallest of its team's and its team's active
 * products' `rotateEveryDays` (the strictest wins), or null when none sets one.
 */
export function effectiveRotateEveryDays(
  teamDays: number | null,
  productDays: ReadonlyArray<number | null | undefined>,
): number | null {
  const all = [teamDays, ...productDays].filter(
    (d): d is number => typeof d === "number" && d >= ROTATE_EVERY_DAYS_MIN,
  );
  return all.length === 0 ? null : Math.min(...all);
}

/** Whether a key whose current secret dates from `secretSince` is due under `everyDays`. */
export function rotationDue(secretSince: Date, everyDays: number | null, now: Date): boolean {
  if (everyDays === null) return false;
  return now.getTime() >= secretSince.getTime() + everyDays * DAY_MS;
}

/** How a secret of a key is shown: the current one, or one retiring until a time. */
export type KeySecretState = "active" | "retiring";
