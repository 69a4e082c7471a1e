/**
 * Cookie-authenticated mutations must come from our own origin. Browsers always send
 * Origin on a POST; a request without one must carry our custom header, which a
 * cross-site form or a simple fetch cannot add without a CORS preflight we never grant.
 * Bearer-token calls carry no ambient credential and are exempt.
 */
export const CSRF_HEADER = "x-gatehouse-csrf";

export function isSameOriginRequest(req: Request, allowedOrigins: readonly string[]): boolean {
  if (req.headers.get("authorization")?.startsWith("Bearer ")) return true;
  if (req.headers.get("sec-fetch-site") === "cross-site") return false;
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.has(CSRF_HEADER);
  const own = new URL(req.url);
  const host = req.headers.get("host") ?? own.host;
  const selfOrigins = [`http://${host}`, `https://${host}`];
  return selfOrigins.includes(origin) || allowedOrigins.includes(origin);
}
