/**
 * One attacker cannot lock an account's owner out, over HTTP: failures from many addresses
 * slow a distributed guess with a growing delay instead of locking the account for the
 * window, the owner signs in at once from an address group or a browser (device cookie)
 * that signed in before, and IPv6 clients count by their /64 in every limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { type Harness, startHarness, trustedProxyLoginEnv } from "../support/harness.ts";
import { type CallResult } from "../support/http.ts";
import { insertUser } from "../support/fixtures.ts";

const PASSWORD = "the owner's right password";
const WRONG = "an attacker's wrong guess";
const WINDOW_MS = 15 * 60_000;

let h: Harness;
let passwordHash: string;
let counter = 0;

beforeAll(async () => {
  h = await startHarness({ env: trustedProxyLoginEnv(50) });
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(() => h?.close());

/** A login as seen behind one trusted proxy, from `address`, with a device cookie or none. */
const login = (email: string, password: string, address: string, device?: string) =>
  h.mutation(
    "auth.login",
    { email, password },
    {
      headers: {
        "x-forwarded-for": address,
        ...(device ? { cookie: `gh_device=${device}` } : {}),
      },
    },
  );

function deviceCookieOf(res: CallResult): string {
  const cookies = res.headers.getSetCookie();
  const device = cookies.find((c) => c.startsWith("gh_device="));
  expect(device, cookies.join("\n")).toMatch(/HttpOnly/);
  return device!.slice("gh_device=".length).split(";")[0]!;
}

async function owner(): Promise<string> {
  h.clock.advance(WINDOW_MS + 1_000);
  counter += 1;
  const email = `owner${counter}@lockout.example.com`;
  await insertUser(h.db, { email, passwordHash });
  return email;
}

/** Ten wrong passwords from each of ten addresses: the review's attack. */
async function attack(email: string): Promise<void> {
  for (let a = 1; a <= 10; a++) {
    for (let i = 1; i <= 10; i++) {
      const res = await login(email, WRONG, `203.0.113.${a}`);
      expect([401, 429]).toContain(res.status);
    }
  }
}

describe("the account-wide limit does not lock the owner out", () => {
  it("the owner signs in at once from an address that signed in before", async () => {
    const email = await owner();
    expect((await login(email, PASSWORD, "192.0.2.10")).status).toBe(200);
    await attack(email);
    expect((await login(email, PASSWORD, "192.0.2.10")).status).toBe(200);
  });

  it("the owner signs in at once from a new address with the browser that signed in before", async () => {
    const email = await owner();
    const device = deviceCookieOf(await login(email, PASSWORD, "192.0.2.20"));
    await attack(email);
    expect((await login(email, PASSWORD, "198.51.100.7", device)).status).toBe(200);
    // Another account's device cookie proves nothing about this one.
    const other = await owner();
    const otherDevice = deviceCookieOf(await login(other, PASSWORD, "192.0.2.21"));
    await attack(email);
    expect((await login(email, PASSWORD, "198.51.100.8", otherDevice)).status).toBe(429);
  });

  it("from an unknown place the owner waits a short delay, not the window", async () => {
    const email = await owner();
    await attack(email);
    const refused = await login(email, PASSWORD, "198.51.100.9");
    expect(refused.status).toBe(429);
    const wait = refused.error?.data.details?.retryAfterSeconds;
    expect(typeof wait).toBe("number");
    expect(wait as number).toBeLessThan(WINDOW_MS / 1000);
    h.clock.advance((wait as number) * 1000);
    expect((await login(email, PASSWORD, "198.51.100.9")).status).toBe(200);
  });

  it("past the free failures the delay doubles with every counted failure", async () => {
    const email = await owner();
    for (let a = 1; a <= 2; a++)
      for (let i = 1; i <= 3; i++)
        expect((await login(email, WRONG, `203.0.113.${a}`)).status).toBe(401);
    const delays: unknown[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await login(email, WRONG, "203.0.113.50");
      expect(refused.status).toBe(429);
      const wait = refused.error?.data.details?.retryAfterSeconds as number;
      delays.push(wait);
      // Refused attempts count for nothing: trying again at once does not lengthen it.
      expect(
        (await login(email, WRONG, "203.0.113.51")).error?.data.details?.retryAfterSeconds,
      ).toBe(wait);
      h.clock.advance(wait * 1000);
      expect((await login(email, WRONG, `203.0.113.${60 + round}`)).status).toBe(401);
    }
    expect(delays).toEqual([1, 2, 4]);
  });
});

describe("IPv6 clients count by their /64", () => {
  it("failures from several addresses of one /64 share the per-(account, address) limit", async () => {
    const email = await owner();
    for (const address of ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"])
      expect((await login(email, WRONG, address)).status).toBe(401);
    expect((await login(email, PASSWORD, "2001:db8:1:2::99")).status).toBe(429);
    expect((await login(email, PASSWORD, "2001:db8:1:3::1")).status).toBe(200);
  });

  it("a sign-in from one address makes its whole /64 a known place", async () => {
    const email = await owner();
    expect((await login(email, PASSWORD, "2001:db8:aa:1::10")).status).toBe(200);
    await attack(email);
    expect((await login(email, PASSWORD, "2001:db8:aa:1::20")).status).toBe(200);
    expect((await login(email, PASSWORD, "2001:db8:aa:2::20")).status).toBe(429);
  });
});
