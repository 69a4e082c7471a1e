/**
 * Decouples "a request came back 401" (seen in the QueryClient) from "go to the login
 * page" (the router): the router registers the handler at start-up, avoiding an import
 * cycle between the tRPC client and the route tree.
 */
type Handler = () => void;

let handler: Handler | null = null;

export function onUnauthorized(next: Handler): () => void {
  handler = next;
  return () => {
    if (handler === next) handler = null;
  };
}

export function reportUnauthorized(): void {
  handler?.();
}

/**
 * Where to go after login: only paths on this origin. An absolute URL or `//host` in
 * ?redirect= would be an open redirect.
 */
export function safeRedirectPath(value: unknown): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\")
  ) {
    return "/teams";
  }
  if (value.startsWith("/login")) return "/teams";
  return value;
}
