import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { type Out } from "../support/http.ts";
import { insertSession, insertUser } from "../support/fixtures.ts";

let h: Harness;
const password = "correct horse battery staple";

beforeAll(async () => {
  h = await startHarness();
  const passwordHash = await hashPassword(password);
  await insertUser(h.db, { email: "admin@example.com", isSystemAdmin: true, passwordHash });
  await insertUser(h.db, { email: "user@example.com", passwordHash });
  await insertUser(h.db, { email: "disabled@example.com", passwordHash, isActive: false });
});
afterAll(() => h?.close());

function sessionCookieOf(headers: Headers): { name: string; value: string; attributes: string } {
  const raw = headers.getSetCookie().find((c) => c.includes("gh_session="));
  if (!raw) throw new Error("no session cookie set");
  const [pair, ...attributes] = raw.split(";");
  const [name, value] = pair!.split("=");
  return { name: name!.trim(), value: value!.trim(), attributes: attributes.join(";") };
}

describe("auth.login", () => {
  it("logs in with the right password, sets an HttpOnly SameSite=Lax cookie, and me works", async () => {
    const res = await h.mutation("auth.login", {
      email: "User@Example.com",
      password,
    });
    expect(res.status).toBe(200);
    const cookie = sessionCookieOf(res.headers);
    expect(cookie.attributes).toMatch(/HttpOnly/);
    expect(cookie.attributes).toMatch(/SameSite=Lax/);
    // 127.0.0.1 is local: no Secure flag, so plain-HTTP development works.
    expect(cookie.attributes).not.toMatch(/Secure/);
    expect(cookie.value.startsWith("ghs_")).toBe(true);

    const me = await h.query<Extract<Out<"auth.me">, { kind: "user" }>>("auth.me", undefined, {
      credentials: { cookie: cookie.value },
    });
    expect(me.status).toBe(200);
    expect(me.data.user.email).toBe("user@example.com");
    const idleMs = new Date(me.data.session.expiresAt).getTime() - h.clock.now().getTime();
    expect(idleMs).toBe(30 * 60_000);
    // Only the hash is stored.
    const stored = await h.db.prisma.session.findMany({ select: { tokenHash: true } });
    expect(stored.some((s) => s.tokenHash === cookie.value)).toBe(false);
  });

  it("gives a system admin an 8-hour idle window", async () => {
    const res = await h.mutation<Extract<Out<"auth.login">, { kind: "user" }>>("auth.login", {
      email: "admin@example.com",
      password,
    });
    const idleMs = new Date(res.data.session.expiresAt).getTime() - h.clock.now().getTime();
    expect(idleMs).toBe(8 * 60 * 60_000);
  });

  it.each([
    ["wrong password", "user@example.com", "wrong password!!"],
    ["unknown email", "nobody@example.com", password],
    ["disabled account", "disabled@example.com", password],
  ])("refuses a %s with the same answer", async (_case, email, pw) => {
    const res = await h.mutation("auth.login", { email, password: pw });
    expect(res.status).toBe(401);
    expect(res.error?.message).toBe("Invalid email or password");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("rejects malformed input with field-level messages", async () => {
    const res = await h.mutation("auth.login", { email: "", password: 5 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {})).toEqual(
      expect.arrayContaining(["email", "password"]),
    );
    expect(res.error?.data.requestId).toBeTruthy();
  });
});

describe("auth.logout", () => {
  it("ends the session at once", async () => {
    const userId = (
      await h.db.prisma.user.findUniqueOrThrow({ where: { email: "user@example.com" } })
    ).id;
    const token = await insertSession(h, userId);
    const credentials = { cookie: token };
    expect((await h.query("auth.me", undefined, { credentials })).status).toBe(200);
    const out = await h.mutation("auth.logout", undefined, { credentials });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/Max-Age=0/);
    expect((await h.query("auth.me", undefined, { credentials })).status).toBe(401);
  });
});

describe("auth.session", () => {
  it("answers a visitor without a session with null, not a 401", async () => {
    const res = await h.query("auth.session", undefined);
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    // A cookie of an ended session is a visitor too (the web app then shows the login page).
    const ended = await h.query("auth.session", undefined, {
      credentials: { cookie: "ghs_not-a-session" },
    });
    expect(ended.status).toBe(200);
    expect(ended.data).toBeNull();
  });

  it("answers a signed-in caller exactly as auth.me does", async () => {
    const userId = (
      await h.db.prisma.user.findUniqueOrThrow({ where: { email: "user@example.com" } })
    ).id;
    const credentials = { cookie: await insertSession(h, userId) };
    const me = await h.query("auth.me", undefined, { credentials });
    const session = await h.query("auth.session", undefined, { credentials });
    expect(session.status).toBe(200);
    expect(me.status).toBe(200);
    expect(session.data).toEqual(me.data);
  });
});
