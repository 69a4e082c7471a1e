/**
 * The browser endpoints answer hostile or broken requests with a redirect to the login page
 * (or a 400 for the back-channel), never an error page, and without a session.
 */
import { describe, expect, it } from "vitest";
import { h } from "./sso-suite.ts";

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, { redirect: "manual", headers });

describe("SSO browser endpoints with broken input", () => {
  it.each([
    ["", "invalid_request"],
    ["not-an-email", "invalid_request"],
    ["a@", "invalid_request"],
    [`${"x".repeat(300)}@acme.test`, "invalid_request"],
    ["ann@unknown.test", "no_provider"],
    ["ann@ACME.test.", "invalid_request"],
  ])("GET /auth/sso/start?email=%j -> %s", async (email, code) => {
    const answer = await get(`/auth/sso/start?email=${encodeURIComponent(email)}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe(`/login?sso_error=${code}`);
    expect(answer.headers.getSetCookie().some((c) => c.startsWith("gh_session="))).toBe(false);
  });

  it.each([
    "",
    "?code=x",
    "?state=",
    `?state=${"s".repeat(600)}&code=x`,
    "?state=unknown&code=x",
    "?error=access_denied&state=unknown",
  ])("GET /auth/sso/callback%s -> invalid_request", async (query) => {
    const answer = await get(`/auth/sso/callback${query}`, {
      cookie: "gh_sso=abcdefghijklmnopqrstuvwxyz",
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe("/login?sso_error=invalid_request");
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses an oversized back-channel body", async () => {
    const answer = await fetch(`${h.url}/auth/sso/backchannel-logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `logout_token=${"a".repeat(100_000)}`,
    });
    expect(answer.status).toBe(413);
  });
});
