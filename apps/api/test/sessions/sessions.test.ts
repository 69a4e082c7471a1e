/**
 * Session lifetime and control, end to end over HTTP with a hand-moved clock: idle
 * timeouts (30 min for users, 8 h for system admins), the sliding window and its
 * once-a-minute write, the absolute cap, listing and revoking sessions, and the events that
 * end every session of a user at once (disabled, password changed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { hashToken } from "../../src/auth/tokens.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { type Out } from "../support/http.ts";
import { insertSession, insertUser, sessionIdOf } from "../support/fixtures.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let h: Harness;
let adminId: string;
let counter = 0;

beforeAll(async () => {
  h = await startHarness();
  adminId = await insertUser(h.db, { email: "root@sessions.example.com", isSystemAdmin: true });
});
afterAll(() => h?.close());

/** A fresh user per test, so one test's revocations cannot leak into another. */
async function newUser(
  options: { isSystemAdmin?: boolean; passwordHash?: string } = {},
): Promise<string> {
  counter += 1;
  return insertUser(h.db, { email: `user${counter}@sessions.example.com`, ...options });
}

type Me = Extract<Out<"auth.me">, { kind: "user" }>;

function me(token: string) {
  return h.query<Me>("auth.me", undefined, { credentials: { cookie: token } });
}

async function storedSession(token: string) {
  return h.db.prisma.session.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
}

describe("configuration", () => {
  it("defaults to 30 idle minutes for users, 8 hours for admins and a 24-hour cap", () => {
    expect(h.config.session.userIdleMs).toBe(30 * MINUTE);
    expect(h.config.session.adminIdleMs).toBe(8 * HOUR);
    expect(h.config.session.absoluteMs).toBe(24 * HOUR);
  });
});

describe("idle timeout", () => {
  it("keeps a regular user's session at 29 idle minutes", async () => {
    const token = await insertSession(h, await newUser());
    h.clock.advance(29 * MINUTE);
    expect((await me(token)).status).toBe(200);
  });

  it("ends a regular user's session at exactly 30 idle minutes", async () => {
    const user = await newUser();
    // Two sessions of the same age: one probed just before the deadline (which touches
    // it), the other left idle until the deadline.
    const early = await insertSession(h, user);
    const idle = await insertSession(h, user);
    h.clock.advance(30 * MINUTE - 1);
    expect((await me(early)).status).toBe(200);
    h.clock.advance(1);
    const res = await me(idle);
    expect(res.status).toBe(401);
    expect(res.error?.data.code).toBe("UNAUTHORIZED");
  });

  it("slides the window with activity", async () => {
    const token = await insertSession(h, await newUser());
    // Active every 20 minutes for 2 hours: never idle for 30.
    for (let i = 0; i < 6; i++) {
      h.clock.advance(20 * MINUTE);
      const res = await me(token);
      expect(res.status, `after ${(i + 1) * 20} minutes`).toBe(200);
      expect(new Date(res.data.session.expiresAt).getTime()).toBe(
        h.clock.now().getTime() + 30 * MINUTE,
      );
    }
    h.clock.advance(30 * MINUTE);
    expect((await me(token)).status).toBe(401);
  });

  it("writes the slide at most once a minute", async () => {
    const token = await insertSession(h, await newUser());
    const created = await storedSession(token);

    h.clock.advance(30_000);
    expect((await me(token)).status).toBe(200);
    const unchanged = await storedSession(token);
    // Within the minute: no write at all.
    expect(unchanged.lastSeenAt.getTime()).toBe(created.lastSeenAt.getTime());
    expect(unchanged.idleExpiresAt.getTime()).toBe(created.idleExpiresAt.getTime());

    h.clock.advance(31_000);
    expect((await me(token)).status).toBe(200);
    const touched = await storedSession(token);
    expect(touched.lastSeenAt.getTime()).toBe(h.clock.now().getTime());
    expect(touched.idleExpiresAt.getTime()).toBe(h.clock.now().getTime() + 30 * MINUTE);
  });

  it("gives a system admin 8 idle hours", async () => {
    const admin = await newUser({ isSystemAdmin: true });
    const active = await insertSession(h, admin);
    const idle = await insertSession(h, admin);
    h.clock.advance(8 * HOUR - MINUTE);
    expect((await me(active)).status).toBe(200);
    h.clock.advance(MINUTE);
    // `idle` saw no request for 8 hours; `active` was used a minute ago.
    expect((await me(idle)).status).toBe(401);
    expect((await me(active)).status).toBe(200);
  });

  // TODO(bug: demoted admin keeps the 8-hour idle window until their next request):
  // packages/core/src/session-policy.ts evaluateSession only shortens the window when the
  // session is next used, so a session idle for 31 minutes after its owner was demoted is
  // still accepted (and then slid). Fix: judge idleness by the current role too, e.g.
  // `if (t >= Math.min(idleExpiresAt, lastSeenAt + idleTimeoutMs(isSystemAdmin)))` -> idle.
  it("applies the user window at once when an admin is demoted", async () => {
    const admin = await newUser({ isSystemAdmin: true });
    const token = await insertSession(h, admin);
    const adminSession = await insertSession(h, adminId);
    const demoted = await h.mutation(
      "users.update",
      { userId: admin, isSystemAdmin: false },
      {
        credentials: { cookie: adminSession },
      },
    );
    expect(demoted.status).toBe(200);
    h.clock.advance(31 * MINUTE);
    expect((await me(token)).status).toBe(401);
  });
});

describe("absolute cap", () => {
  it.each([
    ["a regular user", false, 20 * MINUTE],
    ["a system admin", true, 4 * HOUR],
  ])("ends %s's session at 24 hours however active", async (_who, isSystemAdmin, step) => {
    const token = await insertSession(h, await newUser({ isSystemAdmin }));
    const start = h.clock.now().getTime();
    while (h.clock.now().getTime() + step < start + 24 * HOUR) {
      h.clock.advance(step);
      const res = await me(token);
      expect(res.status).toBe(200);
      // The idle expiry never runs past the cap.
      expect(new Date(res.data.session.expiresAt).getTime()).toBeLessThanOrEqual(start + 24 * HOUR);
      expect(new Date(res.data.session.absoluteExpiresAt).getTime()).toBe(start + 24 * HOUR);
    }
    h.clock.set(new Date(start + 24 * HOUR - 1));
    expect((await me(token)).status).toBe(200);
    h.clock.set(new Date(start + 24 * HOUR));
    expect((await me(token)).status).toBe(401);
  });

  it("caps a real login's cookie at the absolute expiry", async () => {
    const password = "sessions test password";
    counter += 1;
    const email = `login${counter}@sessions.example.com`;
    await insertUser(h.db, { email, passwordHash: await hashPassword(password) });
    const res = await h.mutation("auth.login", { email, password });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("gh_session="));
    const expires = /Expires=([^;]+)/.exec(cookie ?? "")?.[1];
    expect(new Date(expires ?? 0).getTime()).toBe(
      Math.floor((h.clock.now().getTime() + 24 * HOUR) / 1000) * 1000,
    );
  });
});

type SessionItem = Out<"sessions.list">[number];

describe("sessions.list", () => {
  it("lists the caller's own live sessions and marks the current one", async () => {
    const user = await newUser();
    const other = await newUser();
    const first = await insertSession(h, user);
    const second = await insertSession(h, user);
    await insertSession(h, user, { revokedAt: h.clock.now() });
    await insertSession(h, user, { idleExpiresAt: new Date(h.clock.now().getTime() - 1) });
    await insertSession(h, other);

    const res = await h.query<SessionItem[]>("sessions.list", undefined, {
      credentials: { cookie: first },
    });
    expect(res.status).toBe(200);
    const ids = [await sessionIdOf(h.db, first), await sessionIdOf(h.db, second)];
    expect(res.data.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(res.data.every((s) => s.userId === user)).toBe(true);
    expect(res.data.find((s) => s.current)?.id).toBe(ids[0]);
    expect(res.data.filter((s) => s.current)).toHaveLength(1);
  });

  it("refuses another user's sessions to a non-admin and shows them to an admin", async () => {
    const user = await newUser();
    const other = await newUser();
    await insertSession(h, other);
    const mine = await insertSession(h, user);
    const refused = await h.query(
      "sessions.list",
      { userId: other },
      { credentials: { cookie: mine } },
    );
    expect(refused.status).toBe(403);

    const admin = await insertSession(h, adminId);
    const res = await h.query<SessionItem[]>(
      "sessions.list",
      { userId: other },
      {
        credentials: { cookie: admin },
      },
    );
    expect(res.status).toBe(200);
    expect(res.data).toHaveLength(1);
    expect(res.data[0]!.current).toBe(false);
  });
});

describe("sessions.revoke", () => {
  it("ends one's own other session at once", async () => {
    const user = await newUser();
    const current = await insertSession(h, user);
    const other = await insertSession(h, user);
    const res = await h.mutation(
      "sessions.revoke",
      { sessionId: await sessionIdOf(h.db, other) },
      {
        credentials: { cookie: current },
      },
    );
    expect(res.status).toBe(200);
    expect((await me(other)).status).toBe(401);
    expect((await me(current)).status).toBe(200);
    // Not the current session: the caller's cookie stays.
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("ends the current session and clears its cookie", async () => {
    const token = await insertSession(h, await newUser());
    const res = await h.mutation(
      "sessions.revoke",
      { sessionId: await sessionIdOf(h.db, token) },
      {
        credentials: { cookie: token },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().join()).toMatch(/Max-Age=0/);
    expect((await me(token)).status).toBe(401);
  });

  it("lets an admin end anyone's session, with an audit event", async () => {
    const victim = await insertSession(h, await newUser());
    const sessionId = await sessionIdOf(h.db, victim);
    const res = await h.mutation(
      "sessions.revoke",
      { sessionId },
      {
        credentials: { cookie: await insertSession(h, adminId) },
      },
    );
    expect(res.status).toBe(200);
    expect((await me(victim)).status).toBe(401);
    const events = await h.db.prisma.auditEvent.findMany({
      where: { action: "session.revoke", targetId: sessionId },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorUserId).toBe(adminId);
    expect(events[0]!.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("answers 404 to a non-admin naming someone else's session, which keeps working", async () => {
    const victim = await insertSession(h, await newUser());
    const attacker = await insertSession(h, await newUser());
    const res = await h.mutation(
      "sessions.revoke",
      { sessionId: await sessionIdOf(h.db, victim) },
      {
        credentials: { cookie: attacker },
      },
    );
    expect(res.status).toBe(404);
    // The same answer as for an id that does not exist at all: nothing to probe.
    const missing = await h.mutation(
      "sessions.revoke",
      { sessionId: crypto.randomUUID() },
      {
        credentials: { cookie: attacker },
      },
    );
    expect(missing.status).toBe(404);
    expect(missing.error?.message).toBe(res.error?.message);
    expect((await me(victim)).status).toBe(200);
  });
});

describe("events that end every session of a user", () => {
  it("disabling a user ends their sessions at once, and re-enabling does not revive them", async () => {
    const user = await newUser();
    const a = await insertSession(h, user);
    const b = await insertSession(h, user);
    const admin = { cookie: await insertSession(h, adminId) };

    const disabled = await h.mutation(
      "users.update",
      { userId: user, isActive: false },
      { credentials: admin },
    );
    expect(disabled.status).toBe(200);
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(401);

    const enabled = await h.mutation(
      "users.update",
      { userId: user, isActive: true },
      { credentials: admin },
    );
    expect(enabled.status).toBe(200);
    expect((await me(a)).status).toBe(401);
    expect((await storedSession(a)).revokedAt).not.toBeNull();
  });

  it("an admin changing a user's password ends all of that user's sessions", async () => {
    const user = await newUser();
    const a = await insertSession(h, user);
    const b = await insertSession(h, user);
    const res = await h.mutation(
      "users.update",
      { userId: user, password: "a brand new password" },
      {
        credentials: { cookie: await insertSession(h, adminId) },
      },
    );
    expect(res.status).toBe(200);
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(401);
  });

  it("changing one's own password keeps the current session and ends the others", async () => {
    const user = await newUser({ passwordHash: await hashPassword("my old long password") });
    const current = await insertSession(h, user);
    const others = [await insertSession(h, user), await insertSession(h, user)];
    const input = {
      userId: user,
      password: "my new long password",
      currentPassword: "my old long password",
    };
    const res = await h.mutation("users.update", input, {
      credentials: { cookie: current },
    });
    expect(res.status).toBe(200);
    expect((await me(current)).status).toBe(200);
    for (const token of others) expect((await me(token)).status).toBe(401);
  });
});
