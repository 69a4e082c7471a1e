/**
 * Webhook rules as pure functions: which addresses a delivery may connect to (no
 * server-side request forgery through a webhook URL), which URLs an endpoint may have, the
 * retry schedule and when sustained failure disables an endpoint. The api checks URLs with
 * these at create/update (literal hosts) and every resolved address at each delivery.
 *
 * Runs in the browser too (the add-endpoint form), so no node:net: addresses are parsed here.
 */
import { z } from "zod";
import { mailLayout, type MailContent } from "./mail.ts";

/** What an IP address is, for the delivery filter. Only `public` (and `loopback`, when
 * plain-http receivers on this machine are allowed) may be connected to. */
export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link_local"
  | "unspecified"
  | "multicast"
  | "reserved"
  | "invalid";

function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** The eight 16-bit groups of an IPv6 address (with an optional trailing IPv4), or null. */
function parseIpv6(input: string): number[] | null {
  let text = input;
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    // "::ffff:1.2.3.4" -> "::ffff", "::1.2.3.4" -> "::".
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const group = (g: string): number | null =>
    /^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : null;
  const side = (s: string): number[] | null => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      const n = group(g);
      if (n === null) return null;
      out.push(n);
    }
    return out;
  };
  const head = side(halves[0]!);
  const rest = halves.length === 2 ? side(halves[1]!) : [];
  if (!head || !rest) return null;
  const total = head.length + rest.length + tail.length;
  if (halves.length === 2) {
    if (total > 7) return null;
    return [...head, ...new Array<number>(8 - total).fill(0), ...rest, ...tail];
  }
  return total === 8 ? [...head, ...tail] : null;
}

function classifyIpv4(b: readonly number[]): AddressClass {
  const [a, c] = [b[0]!, b[1]!];
  if (a === 0) return b.every((x) => x === 0) ? "unspecified" : "reserved";
  if (a === 10) return "private";
  if (a === 100 && c >= 64 && c <= 127) return "private"; // carrier-grade NAT
  if (a === 127) return "loopback";
  if (a === 169 && c === 254) return "link_local"; // incl. 169.254.169.254 (cloud metadata)
  if (a === 172 && c >= 16 && c <= 31) return "private";
  if (a === 192 && c === 168) return "private";
  if (a === 192 && c === 0 && b[2] === 0) return "reserved"; // IETF assignments
  if (a === 192 && c === 0 && b[2] === 2) return "reserved"; // documentation
  if (a === 198 && (c === 18 || c === 19)) return "reserved"; // benchmarking
  if (a === 198 && c === 51 && b[2] === 100) return "reserved";
  if (a === 203 && c === 0 && b[2] === 113) return "reserved";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved"; // incl. 255.255.255.255
  return "public";
}

function classifyIpv6(g: readonly number[]): AddressClass {
  const v4 = (): number[] => [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255];
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (g.every((x) => x === 0)) return "unspecified";
  if (zeroUpTo(7) && g[7] === 1) return "loopback";
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d): the IPv4 address's class.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIpv4(v4());
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return classifyIpv4(v4());
  // IPv4-compatible (deprecated) and NAT64 (64:ff9b::/96) reach an IPv4 address: judge it.
  if (zeroUpTo(6)) return classifyIpv4(v4()) === "public" ? "reserved" : classifyIpv4(v4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    const inner = classifyIpv4(v4());
    return inner === "public" ? "public" : inner;
  }
  if (g[0] === 0x2002) {
    // 6to4 carries an IPv4 address in groups 1-2.
    const inner = classifyIpv4([g[1]! >> 8, g[1]! & 255, g[2]! >> 8, g[2]! & 255]);
    return inner === "public" ? "public" : inner;
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return "private"; // fc00::/7, incl. fd00:ec2::254
  if ((g[0]! & 0xffc0) === 0xfe80) return "link_local"; // fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return "private"; // site-local (deprecated)
  if ((g[0]! & 0xff00) === 0xff00) return "multicast";
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "reserved"; // documentation
  if (g[0] === 0x2001 && g[1] === 0) return "reserved"; // Teredo
  if (g[0] === 0x0100 && zeroUpTo(4)) return "reserved"; // discard-only
  if ((g[0]! & 0xe000) !== 0x2000) return "reserved"; // outside global unicast 2000::/3
  return "public";
}

/** The class of an IP address (IPv4 dotted, or IPv6 with or without brackets). */
export function classifyAddress(address: string): AddressClass {
  const text = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const v4 = parseIpv4(text);
  if (v4) return classifyIpv4(v4);
  if (!text.includes(":")) return "invalid";
  const v6 = parseIpv6(text);
  return v6 ? classifyIpv6(v6) : "invalid";
}

/** Whether the text is an IP address literal rather than a name. */
export function isIpLiteral(host: string): boolean {
  return classifyAddress(host) !== "invalid";
}

export interface WebhookAddressPolicy {
  /** GATEHOUSE_WEBHOOKS_ALLOW_HTTP: receivers on this machine (loopback) are allowed. */
  allowLoopback: boolean;
}

/** Whether a delivery may connect to this address. */
export function addressAllowed(address: string, policy: WebhookAddressPolicy): boolean {
  const kind = classifyAddress(address);
  return kind === "public" || (kind === "loopback" && policy.allowLoopback);
}

/** Why a URL or address was refused (shown as the field error or the attempt's error). */
export type WebhookUrlRefusal =
  "not_a_url" | "scheme" | "credentials" | "address" | "http_not_loopback";

const REFUSAL_TEXT: Record<WebhookUrlRefusal, string> = {
  not_a_url: "must be a URL",
  scheme: "must be an https URL",
  credentials: "must not carry a user name or password",
  address: "must not point at a private, link-local, loopback or reserved address",
  http_not_loopback: "plain http is allowed only to this machine (loopback)",
};

export function webhookUrlRefusalText(reason: WebhookUrlRefusal): string {
  return REFUSAL_TEXT[reason];
}

/** A loopback name: `localhost` and its subdomains (RFC 6761) resolve to this machine. */
function isLocalhostName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost");
}

export type WebhookUrlCheck =
  | {
      ok: true;
      url: URL;
      /** The host as the resolver takes it (no brackets). */
      host: string;
      /** True when the host is an IP address (no resolution needed). */
      literal: boolean;
    }
  | { ok: false; reason: WebhookUrlRefusal };

/**
 * The checks a URL's text allows without resolving it: https (http only to loopback, when
 * allowed), no credentials, and a literal host must be an allowed address. A name passes
 * here; its addresses are checked at every delivery (checkResolvedAddresses).
 */
export function checkWebhookUrl(text: string, policy: WebhookAddressPolicy): WebhookUrlCheck {
  if (!URL.canParse(text)) return { ok: false, reason: "not_a_url" };
  const url = new URL(text);
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "scheme" };
  if (url.username || url.password) return { ok: false, reason: "credentials" };
  const raw = url.hostname.toLowerCase();
  const host = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
  const literal = isIpLiteral(host);
  const loopback = literal ? classifyAddress(host) === "loopback" : isLocalhostName(host);
  if (url.protocol === "http:") {
    if (!policy.allowLoopback) return { ok: false, reason: "scheme" };
    if (!loopback) return { ok: false, reason: "http_not_loopback" };
  }
  if (loopback && !policy.allowLoopback) return { ok: false, reason: "address" };
  if (literal && !addressAllowed(host, policy)) return { ok: false, reason: "address" };
  return { ok: true, url, host, literal };
}

/**
 * The address a delivery connects to, from every address the host resolved to: refused
 * when any is not allowed (a name that also resolves to a private address is refused, not
 * half-trusted), and for plain http when any is not loopback. The first one otherwise.
 */
export function pickDeliveryAddress(
  protocol: "http:" | "https:",
  addresses: readonly string[],
  policy: WebhookAddressPolicy,
): { ok: true; address: string } | { ok: false; reason: WebhookUrlRefusal } {
  if (addresses.length === 0) return { ok: false, reason: "address" };
  for (const a of addresses) {
    if (!addressAllowed(a, policy)) return { ok: false, reason: "address" };
    if (protocol === "http:" && classifyAddress(a) !== "loopback")
      return { ok: false, reason: "http_not_loopback" };
  }
  return { ok: true, address: addresses[0]! };
}

/**
 * Delays before each retry (after attempt 1, 2, ...): Standard Webhooks' suggested
 * schedule, 5 s to 10 h, about 27.6 hours in all, so a receiver down for a day still gets
 * every event.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];
/** Attempts of one delivery: the first and one per retry delay. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** The delay before the next attempt after `attempts` made, or null when none is left. */
export function webhookRetryDelayMs(attempts: number): number | null {
  if (attempts < 1 || attempts >= WEBHOOK_MAX_ATTEMPTS) return null;
  return WEBHOOK_RETRY_DELAYS_MS[attempts - 1]!;
}

/** Deliveries of one endpoint in flight at once; more wait their turn. */
export const WEBHOOK_MAX_IN_FLIGHT = 2;
/** How long a rotated-out secret still signs deliveries (receivers update meanwhile). */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;
/** Failing for this long without one success (and this many attempts) disables an endpoint. */
export const WEBHOOK_DISABLE_AFTER_MS = 24 * 3_600_000;
export const WEBHOOK_DISABLE_MIN_FAILURES = 10;

/**
 * Whether an endpoint's failures are sustained enough to disable it: a delivery ran out of
 * attempts (a day and more of retries), or it has failed every attempt for a day.
 */
export function shouldDisableWebhook(input: {
  consecutiveFailures: number;
  failingSince: Date | null;
  now: Date;
  deliveryExhausted: boolean;
}): boolean {
  if (input.deliveryExhausted) return true;
  if (!input.failingSince || input.consecutiveFailures < WEBHOOK_DISABLE_MIN_FAILURES) return false;
  return input.now.getTime() - input.failingSince.getTime() >= WEBHOOK_DISABLE_AFTER_MS;
}

/** Signing secrets are `whsec_` + base64 of random bytes (Standard Webhooks' format). */
export const ZWebhookSecret = z.string().regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);

/** The mail an endpoint's owners get when sustained failure disabled it. */
export function webhookDisabledMail(input: {
  url: string;
  reason: string;
  settingsUrl: string;
}): MailContent {
  return mailLayout({
    heading: "A webhook endpoint was disabled",
    paragraphs: [
      `Gatehouse stopped delivering events to ${input.url}: ${input.reason}.`,
      "Events are no longer sent to it. Once the receiver works again, enable the endpoint in its settings; events that failed meanwhile are listed in its delivery log.",
    ],
    action: { label: "Open the webhook settings", url: input.settingsUrl },
  });
}
