/**
 * OIDC back-channel logout: when the provider ends the person's session it POSTs a signed
 * logout token to Gatehouse, which ends the Gatehouse sessions that sign-in started. A token
 * that does not verify is refused with 400 and ends nothing.
 */
import { describe, expect, it } from "vitest";
import { auditOf, h, me, person, signIn, test, userIdOf } from "./sso-suite.ts";

const leaver = person("lee", ["eng"]);

const post = (body: string) =>
  fetch(`${h.url}/auth/sso/backchannel-logout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });

describe("POST /auth/sso/backchannel-logout", () => {
  it("ends the sessions of the IdP session the provider ended", async () => {
    const first = await signIn(leaver);
    const second = await signIn(leaver);
    expect(await me(first.creds)).toBe(200);
    expect(await me(second.creds)).toBe(200);

    const { delivered } = await test.idp.logout(leaver.sub);
    expect(delivered).toBeGreaterThanOrEqual(1);
    expect(await me(first.creds)).toBe(401);
    expect(await me(second.creds)).toBe(401);
    const userId = (await userIdOf(leaver.email))!;
    expect(await auditOf("auth.sso_backchannel_logout", userId)).not.toHaveLength(0);
  });

  it("refuses a token that does not verify (400, not cached) and ends nothing", async () => {
    const signedIn = await signIn(leaver);
    for (const body of [
      "",
      "logout_token=not-a-jwt",
      // Well-formed, unsigned, naming our provider: still refused.
      `logout_token=${unsigned({ iss: test.issuer, aud: "gatehouse-tests", sub: leaver.sub })}`,
    ]) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get("cache-control")).toBe("no-store");
    }
    expect(await me(signedIn.creds)).toBe(200);
  });

  it("needs no Origin header or CSRF header (a server-to-server call)", async () => {
    const answer = await post("logout_token=x");
    // Refused for its token, not as a cross-site request (403).
    expect(answer.status).toBe(400);
  });
});

function unsigned(payload: Record<string, unknown>): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: "none", typ: "logout+jwt" })}.${b64({
    ...payload,
    iat: now,
    jti: "x",
    events: { "http://schemas.openid.net/event/backchannel-logout": {} },
  })}.`;
}
