/**
 * Login limits that an attacker can neither dodge nor turn against others:
 * - behind a trusted proxy (GATEHOUSE_TRUST_PROXY), the client address is the entry the
 *   proxy appended to X-Forwarded-For (the right-most, or `hops` places from the right),
 *   never the leftmost, which the client writes: rotating it opens no fresh counter;
 * - only failures count, so nobody locks a victim out by failing on their account and
 *   people behind one NAT do not lock each other out by signing in; the tight limit is per
 *   (account, address), with a looser per-account limit and the per-address limit beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { forwardedClientAddress } from "../../src/http/request-context.ts";
import { type Harness, startHarness, trustedProxyLoginEnv } from "../support/harness.ts";
import { insertUser } from "../support/fixtures.ts";

const PASSWORD = "the right password";
const WRONG = "a wrong password!";
const WINDOW_MS = 15 * 60_000;

let h: Harness;
let passwordHash: string;

beforeAll(async () => {
  h = await startHarness({ env: trustedProxyLoginEnv(5) });
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(() => h?.close());

/** A login as seen behind one trusted proxy, which appended `address` to X-Forwarded-For. */
const login = (email: string, password: string, forwardedFor: string) =>
  h.mutation("auth.login", { email, password }, { headers: { "x-forwarded-for": forwardedFor } });

const newWindow = () => h.clock.advance(WINDOW_MS + 1_000);

describe("the client address behind a trusted proxy", () => {
  it("rotating the leftmost X-Forwarded-For entry does not open a new rate-limit counter", async () => {
    newWindow();
    await insertUser(h.db, { email: "rotate@limits.example.com", passwordHash });
    // Spraying five accounts (the per-address limit), each attempt claiming another
    // address: the client writes "10.0.0.i", the proxy appends the one it saw.
    for (let i = 1; i <= 5; i++) {
      expect(
        (await login(`rotate${i}@limits.example.com`, WRONG, `10.0.0.${i}, 198.51.100.20`)).status,
      ).toBe(401);
    }
    const refused = await login("rotate@limits.example.com", PASSWORD, "10.9.9.9, 198.51.100.20");
    expect(refused.status).toBe(429);
    expect(refused.error?.data.code).toBe("TOO_MANY_REQUESTS");
    // The same account from the address another client reaches the proxy from is fine.
    expect(
      (await login("rotate@limits.example.com", PASSWORD, "10.9.9.9, 198.51.100.21")).status,
    ).toBe(200);
  });

  it("the session records the address the proxy saw", async () => {
    newWindow();
    const userId = await insertUser(h.db, { email: "where@limits.example.com", passwordHash });
    expect(
      (await login("where@limits.example.com", PASSWORD, "6.6.6.6, 198.51.100.21")).status,
    ).toBe(200);
    const session = await h.db.prisma.session.findFirstOrThrow({ where: { userId } });
    expect(session.ipAddress).toBe("198.51.100.21");
  });

  it.each([
    ["one hop: the right-most entry", "1.1.1.1, 2.2.2.2, 3.3.3.3", 1, "3.3.3.3"],
    ["two hops: the entry the outer proxy appended", "1.1.1.1, 2.2.2.2, 3.3.3.3", 2, "2.2.2.2"],
    ["more hops than entries: the leftmost", "2.2.2.2", 3, "2.2.2.2"],
    ["spaces and empty entries", " 1.1.1.1 ,, 3.3.3.3 ", 1, "3.3.3.3"],
    ["not trusted", "1.1.1.1", 0, null],
    ["no header", undefined, 1, null],
  ])("%s", (_what, header, hops, expected) => {
    expect(forwardedClientAddress(header, hops)).toBe(expected);
  });

  it("GATEHOUSE_TRUST_PROXY takes true/false or a number of hops, and refuses anything else", () => {
    expect(loadConfig({}).trustProxyHops).toBe(0);
    expect(loadConfig({ GATEHOUSE_TRUST_PROXY: "true" }).trustProxyHops).toBe(1);
    expect(loadConfig({ GATEHOUSE_TRUST_PROXY: "1" }).trustProxyHops).toBe(1);
    expect(loadConfig({ GATEHOUSE_TRUST_PROXY: "2" }).trustProxyHops).toBe(2);
    expect(loadConfig({ GATEHOUSE_TRUST_PROXY: "false" }).trustProxyHops).toBe(0);
    expect(() => loadConfig({ GATEHOUSE_TRUST_PROXY: "maybe" })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEHOUSE_TRUST_PROXY: "maybe" })).toThrow(/GATEHOUSE_TRUST_PROXY/);
  });
});

describe("failures only, per (account, address), with looser account and address limits", () => {
  it("an attacker failing on a victim's account locks out only their own address", async () => {
    newWindow();
    await insertUser(h.db, { email: "victim@limits.example.com", passwordHash });
    const attacker = "203.0.113.66";
    for (let i = 1; i <= 3; i++)
      expect((await login("victim@limits.example.com", WRONG, attacker)).status).toBe(401);
    expect((await login("victim@limits.example.com", PASSWORD, attacker)).status).toBe(429);
    // Hammering on after the refusal pushes no other counter.
    for (let i = 1; i <= 5; i++)
      expect((await login("victim@limits.example.com", WRONG, attacker)).status).toBe(429);
    expect((await login("victim@limits.example.com", PASSWORD, "192.0.2.10")).status).toBe(200);
  });

  it("failures from several addresses reach the looser per-account limit", async () => {
    newWindow();
    await insertUser(h.db, { email: "spread@limits.example.com", passwordHash });
    for (const address of ["203.0.113.1", "203.0.113.2"]) {
      for (let i = 1; i <= 3; i++)
        expect((await login("spread@limits.example.com", WRONG, address)).status).toBe(401);
    }
    // 6 failures in the window: a seventh attempt is refused from anywhere.
    const refused = await login("spread@limits.example.com", PASSWORD, "203.0.113.3");
    expect(refused.status).toBe(429);
    newWindow();
    expect((await login("spread@limits.example.com", PASSWORD, "203.0.113.3")).status).toBe(200);
  });

  it("successful logins behind one NAT do not count against the address", async () => {
    newWindow();
    const nat = "198.51.100.99";
    for (let i = 1; i <= 8; i++) {
      await insertUser(h.db, { email: `nat${i}@limits.example.com`, passwordHash });
      expect((await login(`nat${i}@limits.example.com`, PASSWORD, nat)).status, `user ${i}`).toBe(
        200,
      );
    }
    // Nor does one person logging in again and again.
    for (let i = 1; i <= 5; i++)
      expect((await login("nat1@limits.example.com", PASSWORD, nat)).status).toBe(200);
  });

  it("failures from one address across accounts still hit the per-address limit", async () => {
    newWindow();
    const sprayer = "203.0.113.77";
    for (let i = 1; i <= 5; i++)
      expect((await login(`spray${i}@limits.example.com`, WRONG, sprayer)).status).toBe(401);
    await insertUser(h.db, { email: "sprayed@limits.example.com", passwordHash });
    expect((await login("sprayed@limits.example.com", PASSWORD, sprayer)).status).toBe(429);
    expect((await login("sprayed@limits.example.com", PASSWORD, "203.0.113.78")).status).toBe(200);
  });

  it("a success forgives earlier typos from the same address", async () => {
    newWindow();
    await insertUser(h.db, { email: "typo@limits.example.com", passwordHash });
    const home = "192.0.2.44";
    for (let i = 1; i <= 2; i++)
      expect((await login("typo@limits.example.com", WRONG, home)).status).toBe(401);
    expect((await login("typo@limits.example.com", PASSWORD, home)).status).toBe(200);
    for (let i = 1; i <= 3; i++)
      expect((await login("typo@limits.example.com", WRONG, home)).status).toBe(401);
    expect((await login("typo@limits.example.com", PASSWORD, home)).status).toBe(429);
  });

  it("parallel guesses cannot slip past the tight limit", async () => {
    newWindow();
    await insertUser(h.db, { email: "parallel@limits.example.com", passwordHash });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        login("parallel@limits.example.com", WRONG, "203.0.113.200"),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});
