/**
 * Passwords over real HTTP, mail read from a real SMTP receiver: "forgot password" answers
 * the same for existing and unknown emails (status, body, similar time) and mails a
 * single-use, short-lived link only to an existing account; a reset ends every session;
 * request limits hold for both kinds of email; a signed-in change needs the current
 * password and ends the other sessions; a forced reset stops the password at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import {
  addOrgMember,
  insertOrganization,
  insertSession,
  insertUser,
} from "../support/fixtures.ts";
import { startHarness, type MailHarness } from "../support/harness.ts";
import { call, type Out } from "../support/http.ts";
import { waitForToken } from "../support/mail-links.ts";
import { addressOf } from "../support/smtp.ts";

let h: MailHarness;
const OLD = "the old password is long";
const NEW = "the new password is long";

beforeAll(async () => {
  h = await startHarness({
    smtp: true,
    env: {
      GATEHOUSE_PASSWORD_RESET_MAX_PER_EMAIL: "3",
      GATEHOUSE_PASSWORD_RESET_MAX_PER_ADDRESS: "100000",
    },
  });
});
afterAll(() => h?.close());

async function account(email: string, options: { isSystemAdmin?: boolean } = {}) {
  const id = await insertUser(h.db, {
    email,
    passwordHash: await hashPassword(OLD),
    ...options,
  });
  return { id, email, cookie: await insertSession(h, id) };
}

const me = (cookie: string) =>
  call(h.url, "query", "auth.me", undefined, { credentials: { cookie } });

/** The JSON body of an answer without its per-request id. */
async function bodyOf(res: Response): Promise<string> {
  return (await res.text()).replace(/"requestId":"[^"]*"/g, "");
}

function requestReset(email: string): Promise<Response> {
  return fetch(`${h.url}/trpc/auth.requestPasswordReset`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gatehouse-csrf": "1" },
    body: JSON.stringify({ email }),
  });
}

describe("forgot password", () => {
  it("mails a link to an existing account; the reset ends every session and works once", async () => {
    const user = await account("forgot-1@pw.test");
    const res = await h.mutation("auth.requestPasswordReset", { email: "Forgot-1@PW.test" });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });
    const { token, mail } = await waitForToken(h.smtp, user.email, "/reset-password");
    expect(mail.text).toContain(`${h.url}/reset-password?token=`);

    const reset = await h.mutation("auth.resetPassword", { token, password: NEW });
    expect(reset.status).toBe(200);
    expect(reset.headers.getSetCookie().filter((c) => c.startsWith("gh_session="))).toEqual([]);
    expect((await me(user.cookie)).status).toBe(401);
    expect((await h.mutation("auth.login", { email: user.email, password: OLD })).status).toBe(401);
    expect((await h.mutation("auth.login", { email: user.email, password: NEW })).status).toBe(200);
    // Single use.
    const again = await h.mutation("auth.resetPassword", {
      token,
      password: "yet another password",
    });
    expect(again.status).toBe(400);
    expect(again.error?.data.fieldErrors).toHaveProperty("token");
    // Told by mail, and audited without the token.
    await h.smtp.waitFor(
      (m) => addressOf(m.to) === user.email && /password was changed/i.test(m.subject ?? ""),
    );
    const audit = await h.db.pool.query(
      `SELECT details::text FROM audit_events WHERE action = 'auth.resetPassword' AND target_id = $1`,
      [user.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows)).not.toContain(token);
  });

  it("an account that signs in by SSO gets a mail pointing there, and no token", async () => {
    const user = await account("sso-member@pw.test");
    const orgId = await insertOrganization(h.db, "Enforcing Org");
    await addOrgMember(h.db, orgId, user.id, "MEMBER");
    await h.db.pool.query(`UPDATE organizations SET sso_enforced = true WHERE id = $1`, [orgId]);
    const res = await h.mutation("auth.requestPasswordReset", { email: user.email });
    expect(res.data).toEqual({ ok: true });
    const mail = await h.smtp.waitFor((m) => addressOf(m.to) === user.email);
    expect(mail.subject).toMatch(/single sign-on/i);
    expect(mail.text).toContain(`${h.url}/login`);
    expect(mail.text).not.toContain("token=");
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM password_resets WHERE user_id = $1 AND token_hash IS NOT NULL`,
      [user.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it("an expired link is refused", async () => {
    const user = await account("forgot-2@pw.test");
    await h.mutationOk("auth.requestPasswordReset", { email: user.email }, null);
    const { token } = await waitForToken(h.smtp, user.email, "/reset-password");
    await h.db.pool.query(`UPDATE password_resets SET expires_at = $2 WHERE user_id = $1`, [
      user.id,
      h.clock.now(),
    ]);
    const res = await h.mutation("auth.resetPassword", { token, password: NEW });
    expect(res.status).toBe(400);
    expect((await me(user.cookie)).status).toBe(200);
  });

  it("answers an unknown email exactly as an existing one, and mails nothing", async () => {
    await account("known-3@pw.test");
    const known = await requestReset("known-3@pw.test");
    const unknown = await requestReset("nobody-3@pw.test");
    expect(unknown.status).toBe(known.status);
    expect(await bodyOf(unknown)).toBe(await bodyOf(known));
    await h.drain();
    expect(h.smtp.messages.filter((m) => addressOf(m.to) === "nobody-3@pw.test")).toEqual([]);
    const { rows } = await h.db.pool.query(
      `SELECT user_id, token_hash, processed_at IS NOT NULL AS processed FROM password_resets WHERE email = $1`,
      ["nobody-3@pw.test"],
    );
    expect(rows).toEqual([{ user_id: null, token_hash: null, processed: true }]);
  });

  it("takes similar time for existing and unknown emails", async () => {
    const n = 16;
    for (let i = 0; i < n; i++) await account(`timing-${i}@pw.test`);
    const durations = { known: [] as number[], unknown: [] as number[] };
    // The worker (which mails the known ones) waits: the requests are timed alone, so only
    // the request path is compared, not the mails being sent between them.
    await h.stopWorker();
    // Interleaved, so whatever else loads the machine weighs on both kinds alike.
    for (let i = 0; i < n; i++) {
      for (const kind of i % 2
        ? (["known", "unknown"] as const)
        : (["unknown", "known"] as const)) {
        const email = kind === "known" ? `timing-${i}@pw.test` : `timing-none-${i}@pw.test`;
        const started = performance.now();
        const res = await requestReset(email);
        await res.text();
        durations[kind].push(performance.now() - started);
        expect(res.status).toBe(200);
      }
    }
    h.startWorker();
    await h.drain();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known = median(durations.known);
    const unknown = median(durations.unknown);
    // The request does the same work either way (the worker decides later), so the medians
    // differ by noise only: a generous bound that a real difference (an argon2 hash, a
    // mail render, an extra transaction) would still exceed on an idle machine.
    expect(Math.abs(known - unknown)).toBeLessThan(Math.max(15, 0.5 * Math.max(known, unknown)));
  });

  it("limits requests per email, for existing and unknown emails alike", async () => {
    await account("limited-5@pw.test");
    for (const email of ["limited-5@pw.test", "limited-unknown-5@pw.test"]) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await requestReset(email)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    }
  });

  it("limits requests per client address, whatever the email", async () => {
    // Behind one trusted proxy, so each test address has a bucket of its own.
    const strict = await h.startServer({
      config: {
        ...h.config,
        trustProxyHops: 1,
        passwordReset: { ...h.config.passwordReset, maxPerAddress: 2 },
      },
    });
    try {
      const from = (address: string, email: string) =>
        call(
          strict.url,
          "mutation",
          "auth.requestPasswordReset",
          { email },
          {
            headers: { "x-forwarded-for": address },
          },
        );
      const statuses: number[] = [];
      for (const email of ["a6@pw.test", "b6@pw.test", "c6@pw.test"])
        statuses.push((await from("203.0.113.6", email)).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect((await from("203.0.113.7", "c6@pw.test")).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });
});

describe("auth.changePassword", () => {
  it("needs the current password; ends the other sessions, keeps this one; mails", async () => {
    const user = await account("change-1@pw.test");
    const other = await insertSession(h, user.id);
    const wrong = await h.mutation(
      "auth.changePassword",
      { currentPassword: "not it at all", newPassword: NEW },
      { credentials: { cookie: user.cookie } },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.error?.data.fieldErrors).toHaveProperty("currentPassword");
    const ok = await h.mutationOk<Out<"auth.changePassword">>(
      "auth.changePassword",
      { currentPassword: OLD, newPassword: NEW },
      { cookie: user.cookie },
    );
    expect(ok).toEqual({ ok: true, sessionsEnded: 1 });
    expect((await me(user.cookie)).status).toBe(200);
    expect((await me(other)).status).toBe(401);
    expect((await h.mutation("auth.login", { email: user.email, password: NEW })).status).toBe(200);
    await h.smtp.waitFor(
      (m) => addressOf(m.to) === user.email && /password was changed/i.test(m.subject ?? ""),
    );
  });

  it("counts wrong current passwords against the login limit", async () => {
    const strict = await h.startServer({
      config: { ...h.config, login: { ...h.config.login, maxPerAccount: 2 } },
    });
    try {
      const user = await account("change-2@pw.test");
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await call(
          strict.url,
          "mutation",
          "auth.changePassword",
          { currentPassword: `wrong ${i}`, newPassword: NEW },
          { credentials: { cookie: user.cookie } },
        );
        statuses.push(res.status);
      }
      expect(statuses).toEqual([400, 400, 429]);
      // The right password is refused too while limited (no oracle past the limit).
      const right = await call(
        strict.url,
        "mutation",
        "auth.changePassword",
        { currentPassword: OLD, newPassword: NEW },
        { credentials: { cookie: user.cookie } },
      );
      expect(right.status).toBe(429);
    } finally {
      await strict.stop();
    }
  });
});

describe("users.forcePasswordReset", () => {
  it("ends the sessions, stops the password, and mails a link that sets a new one", async () => {
    const admin = await account("admin-7@pw.test", { isSystemAdmin: true });
    const user = await account("forced-7@pw.test");
    const res = await h.mutationOk<Out<"users.forcePasswordReset">>(
      "users.forcePasswordReset",
      { userId: user.id },
      { cookie: admin.cookie },
    );
    expect(res).toEqual({ userId: user.id, sessionsEnded: 1 });
    expect((await me(user.cookie)).status).toBe(401);
    const login = await h.mutation("auth.login", { email: user.email, password: OLD });
    expect(login.status).toBe(401);
    expect(login.error?.message).toBe("Invalid email or password");
    const { token } = await waitForToken(h.smtp, user.email, "/reset-password");
    await h.mutationOk("auth.resetPassword", { token, password: NEW }, null);
    expect((await h.mutation("auth.login", { email: user.email, password: NEW })).status).toBe(200);
    const audit = await h.db.pool.query(
      `SELECT actor_user_id FROM audit_events WHERE action = 'user.forcePasswordReset' AND target_id = $1`,
      [user.id],
    );
    expect(audit.rows).toEqual([{ actor_user_id: admin.id }]);
  });
});
