/**
 * The rules of auth.login's failed-attempt limits, as pure functions (the API keeps the
 * counters in PostgreSQL and applies these):
 *
 * - Every limit key names a client by its address group: an IPv4 address, or the /64 an
 *   IPv6 address lies in (one subscriber usually holds a whole /64, so counting single
 *   IPv6 addresses would hand an attacker 2^64 fresh counters).
 * - The per-(account, address) and per-address limits refuse outright for the window.
 * - The account-wide limit does not lock the account: past its free failures, each further
 *   attempt from an unknown place must wait a delay that doubles with every failure, up to
 *   a cap. Guessing stays slow, while the owner waits seconds, not the whole window.
 * - A place the account signed in from recently (its address group, or the device cookie
 *   that sign-in set) is exempt from the account-wide limit: strangers' failures cannot
 *   keep the owner out from where they usually sign in.
 */

/** How long a successful sign-in makes its address group and device known to the account. */
export const KNOWN_PLACE_MS = 30 * 24 * 60 * 60_000;
/** The first delay past the account-wide free failures; each failure doubles it. */
export const ACCOUNT_DELAY_BASE_MS = 1_000;
/** The longest delay the account-wide limit imposes between two attempts. */
export const ACCOUNT_DELAY_MAX_MS = 5 * 60_000;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included), or null. */
function ipv6Groups(text: string): number[] | null {
  const address = text.replace(/%.*$/, "");
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === "") return [];
    const groups: number[] = [];
    const pieces = part.split(":");
    for (const [i, piece] of pieces.entries()) {
      const v4 = i === pieces.length - 1 ? IPV4.exec(piece) : null;
      if (v4) {
        const bytes = v4.slice(1).map(Number);
        if (bytes.some((b) => b > 255)) return null;
        groups.push((bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

/**
 * The group a client address counts in: an IPv4 address itself (also when written as an
 * IPv4-mapped IPv6 address), the /64 of an IPv6 address (`2001:db8:1:2::/64`), or the text
 * itself, lower-cased, when it is neither.
 */
export function addressGroupOf(address: string): string {
  const text = address.trim().toLowerCase();
  if (IPV4.test(text)) return text;
  const groups = ipv6Groups(text);
  if (!groups) return text;
  const isMappedV4 = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMappedV4) {
    const [hi, lo] = [groups[6]!, groups[7]!];
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

export interface AccountAttempts {
  /** Failures counted against the account (from unknown places) in the current window. */
  failures: number;
  /** When the last of them was counted; null when none. */
  lastFailureAt: Date | null;
}

export type AccountThrottle = { allowed: true } | { allowed: false; retryAfterMs: number };

/** The delay an attempt must wait after `failures` counted failures (0 within the free ones). */
export function accountDelayMs(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  const doublings = Math.min(failures - freeFailures, 30);
  return Math.min(ACCOUNT_DELAY_MAX_MS, ACCOUNT_DELAY_BASE_MS * 2 ** doublings);
}

/**
 * Whether an attempt from an unknown place may be tried now: within the free failures
 * always; past them only once the delay since the last counted failure has passed.
 */
export function accountThrottle(
  attempts: AccountAttempts,
  freeFailures: number,
  now: Date,
): AccountThrottle {
  const delay = accountDelayMs(attempts.failures, freeFailures);
  if (delay === 0 || !attempts.lastFailureAt) return { allowed: true };
  const waited = now.getTime() - attempts.lastFailureAt.getTime();
  return waited >= delay ? { allowed: true } : { allowed: false, retryAfterMs: delay - waited };
}
