/**
 * users.create / users.list / users.update over HTTP: validation with field-level errors
 * and nothing changed, case-insensitive email uniqueness, self-service limits (the
 * privilege-escalation pattern of LiteLLM CVE-2026-47102), the last-admin rule, org-scoped
 * listing, and an audit event for every mutation, committed with it or not at all.
 */
import { hashPassword } from "../../src/auth/password.ts";
import { testBackend } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import { call, type CallResult, type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { withAuditRefused } from "../support/database.ts";

type User = Out<"users.create">;
type UserPage = Out<"users.list">;

let h: Harness;
let adminId: string;
let counter = 0;

beforeAll(async () => {
  h = await startHarness();
  adminId = await fx.insertUser(h.db, { email: "root@users.example.com", isSystemAdmin: true });
});
afterAll(() => h?.close());

async function as(userId: string): Promise<Credentials> {
  return { cookie: await fx.insertSession(h, userId) };
}

async function newUser(
  options: { isSystemAdmin?: boolean; name?: string; passwordHash?: string } = {},
): Promise<string> {
  counter += 1;
  return fx.insertUser(h.db, { email: `person${counter}@users.example.com`, ...options });
}

function create(input: unknown, credentials: Credentials) {
  return h.mutation<User>("users.create", input, { credentials });
}
function update(input: unknown, credentials: Credentials) {
  return h.mutation<User>("users.update", input, { credentials });
}
function list(input: unknown, credentials: Credentials) {
  return h.query<UserPage>("users.list", input, { credentials });
}

async function stored(userId: string) {
  return h.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
}

/** The audit events written by exactly this response (matched on its request id). */
async function auditOf(res: CallResult) {
  return h.db.prisma.auditEvent.findMany({
    where: { requestId: res.headers.get("x-request-id") ?? "-" },
  });
}

describe("users.create", () => {
  it("creates a user with an argon2id hash and a normalized email, and audits it", async () => {
    const res = await create(
      {
        email: "New.Person@Users.Example.com",
        name: "  New Person ",
        password: "a long enough password",
      },
      await as(adminId),
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      email: "new.person@users.example.com",
      name: "New Person",
      isSystemAdmin: false,
      isActive: true,
    });
    expect(Object.keys(res.data)).not.toContain("passwordHash");

    const row = await stored(res.data.id);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);

    const [event, ...more] = await auditOf(res);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: "user.create",
      targetType: "user",
      targetId: res.data.id,
      actorUserId: adminId,
    });

    // The password works.
    const login = await h.mutation("auth.login", {
      email: "new.person@users.example.com",
      password: "a long enough password",
    });
    expect(login.status).toBe(200);
  });

  it("records a service token as the actor when one creates a user", async () => {
    const bearer = await fx.insertServiceToken(h.db, { admin: true });
    const res = await create(
      { email: "by-token@users.example.com", name: "By Token", password: "a long enough password" },
      {
        bearer,
      },
    );
    expect(res.status).toBe(200);
    const [event] = await auditOf(res);
    expect(event?.actorUserId).toBeNull();
    expect(event?.actorServiceTokenId).toBeTruthy();
  });

  it("rejects bad input with a message per field and creates nothing", async () => {
    const before = await h.db.prisma.user.count();
    const res = await create(
      { email: "not-an-email", name: "", password: "short", isSystemAdmin: "yes" },
      await as(adminId),
    );
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(res.error?.data.fieldErrors ?? {}).sort()).toEqual([
      "email",
      "isSystemAdmin",
      "name",
      "password",
    ]);
    expect(res.error?.data.fieldErrors?.password?.[0]).toMatch(/12/);
    expect(await h.db.prisma.user.count()).toBe(before);
    expect(await auditOf(res)).toEqual([]);
  });

  it("rejects unknown fields rather than ignoring them", async () => {
    const res = await create(
      {
        email: "extra@users.example.com",
        name: "Extra",
        password: "a long enough password",
        role: "ADMIN",
      },
      await as(adminId),
    );
    expect(res.status).toBe(400);
    expect(await h.db.prisma.user.count({ where: { email: "extra@users.example.com" } })).toBe(0);
  });

  it("refuses a duplicate email whatever its case with 409 CONFLICT", async () => {
    const admin = await as(adminId);
    const first = await create(
      { email: "dup@users.example.com", name: "Dup", password: "a long enough password" },
      admin,
    );
    expect(first.status).toBe(200);
    const res = await create(
      { email: "DUP@Users.Example.COM", name: "Dup 2", password: "a long enough password" },
      admin,
    );
    expect(res.status).toBe(409);
    expect(res.error?.data.code).toBe("CONFLICT");
    expect(res.error?.data.details).toEqual({ field: "email" });
    expect(await h.db.prisma.user.count({ where: { email: "dup@users.example.com" } })).toBe(1);
    expect(await auditOf(res)).toEqual([]);
  });

  it("is for system admins only", async () => {
    const orgId = await fx.insertOrganization(h.db, "Create Org");
    const orgAdmin = await newUser();
    await fx.addOrgMember(h.db, orgId, orgAdmin, "ORG_ADMIN");
    const input = {
      email: "nope@users.example.com",
      name: "Nope",
      password: "a long enough password",
      isSystemAdmin: true,
    };
    expect((await create(input, await as(await newUser()))).status).toBe(403);
    expect((await create(input, await as(orgAdmin))).status).toBe(403);
    expect(
      (
        await create(input, {
          bearer: await fx.insertServiceToken(h.db, { organizationId: orgId }),
        })
      ).status,
    ).toBe(403);
    expect(await h.db.prisma.user.count({ where: { email: "nope@users.example.com" } })).toBe(0);
  });
});

describe("users.update by a system admin", () => {
  it("changes any field and audits which ones", async () => {
    const userId = await newUser();
    const res = await update(
      {
        userId,
        name: "Renamed",
        email: "Renamed@Users.Example.com",
        isSystemAdmin: true,
        isActive: true,
      },
      await as(adminId),
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      name: "Renamed",
      email: "renamed@users.example.com",
      isSystemAdmin: true,
    });
    const [event] = await auditOf(res);
    expect(event).toMatchObject({ action: "user.update", targetId: userId, actorUserId: adminId });
    expect((event?.details as { changed: string[] }).changed.sort()).toEqual([
      "email",
      "isActive",
      "isSystemAdmin",
      "name",
    ]);
  });

  it("rejects bad input field by field and changes nothing", async () => {
    const userId = await newUser({ name: "Unchanged" });
    const res = await update(
      { userId, name: "", email: "nope", password: "short" },
      await as(adminId),
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {}).sort()).toEqual([
      "email",
      "name",
      "password",
    ]);
    expect((await stored(userId)).name).toBe("Unchanged");

    const badId = await update({ userId: "not-a-uuid", name: "X" }, await as(adminId));
    expect(badId.status).toBe(400);
    expect(Object.keys(badId.error?.data.fieldErrors ?? {})).toEqual(["userId"]);
  });

  it("refuses an email taken by someone else, whatever its case, with 409 and no change", async () => {
    const taken = await newUser();
    const takenEmail = (await stored(taken)).email;
    const userId = await newUser();
    const before = await stored(userId);
    const res = await update(
      { userId, email: takenEmail.toUpperCase(), name: "Should Not Stick" },
      await as(adminId),
    );
    expect(res.status).toBe(409);
    expect(await stored(userId)).toMatchObject({ email: before.email, name: before.name });
    expect(await auditOf(res)).toEqual([]);
  });

  it("answers 404 for a user that does not exist", async () => {
    const res = await update({ userId: crypto.randomUUID(), name: "Ghost" }, await as(adminId));
    expect(res.status).toBe(404);
  });
});

describe("users.update by oneself (CVE-2026-47102: no self-promotion)", () => {
  it("allows one's own name and password (with the current password)", async () => {
    const userId = await newUser({ passwordHash: await hashPassword("my own old password") });
    const me = await as(userId);
    const renamed = await update({ userId, name: "Self Renamed" }, me);
    expect(renamed.status).toBe(200);
    expect(renamed.data.name).toBe("Self Renamed");

    for (const currentPassword of [undefined, "not my password"]) {
      const refused = await update(
        { userId, password: "my own new password", currentPassword },
        me,
      );
      expect(refused.status).toBe(400);
      expect(refused.error?.data.details).toMatchObject({ field: "currentPassword" });
    }
    const changed = await update(
      { userId, password: "my own new password", currentPassword: "my own old password" },
      me,
    );
    expect(changed.status).toBe(200);
    const login = await h.mutation("auth.login", {
      email: renamed.data.email,
      password: "my own new password",
    });
    expect(login.status).toBe(200);
    expect((await auditOf(changed))[0]).toMatchObject({
      action: "user.update",
      actorUserId: userId,
    });
  });

  it.each([
    ["isSystemAdmin: true", { isSystemAdmin: true }],
    ["isSystemAdmin: false (refused, not ignored)", { isSystemAdmin: false }],
    ["isActive", { isActive: true }],
    ["email", { email: "self-chosen@users.example.com" }],
    ["name together with isSystemAdmin", { name: "Sneaky", isSystemAdmin: true }],
  ])("refuses %s with 403 and changes nothing", async (_label, fields) => {
    const userId = await newUser({ name: "Plain" });
    const before = await stored(userId);
    const res = await update({ userId, ...fields }, await as(userId));
    expect(res.status).toBe(403);
    expect(res.error?.data.code).toBe("FORBIDDEN");
    const after = await stored(userId);
    expect(after).toMatchObject({
      name: "Plain",
      email: before.email,
      isSystemAdmin: false,
      isActive: true,
    });
    expect(await auditOf(res)).toEqual([]);
    // And the caller really is not an admin now.
    const probe = await create(
      { email: `probe${counter}@users.example.com`, name: "P", password: "a long enough password" },
      await as(userId),
    );
    expect(probe.status).toBe(403);
  });

  it("refuses snake_case or unknown spellings of privileged fields as bad input", async () => {
    const userId = await newUser();
    for (const field of ["is_system_admin", "role", "isAdmin"]) {
      const res = await update({ userId, [field]: true }, await as(userId));
      expect(res.status, field).toBe(400);
    }
    expect((await stored(userId)).isSystemAdmin).toBe(false);
  });

  it("refuses to change another user, even their name, to anyone but a system admin", async () => {
    const orgId = await fx.insertOrganization(h.db, "Update Org");
    const orgAdmin = await newUser();
    const member = await newUser({ name: "Org Member" });
    await fx.addOrgMember(h.db, orgId, orgAdmin, "ORG_ADMIN");
    await fx.addOrgMember(h.db, orgId, member, "MEMBER");
    expect(
      (await update({ userId: member, name: "Hijacked" }, await as(await newUser()))).status,
    ).toBe(403);
    expect((await update({ userId: member, isSystemAdmin: true }, await as(orgAdmin))).status).toBe(
      403,
    );
    expect((await update({ userId: member, name: "Hijacked" }, await as(orgAdmin))).status).toBe(
      403,
    );
    const orgToken = await fx.insertServiceToken(h.db, { organizationId: orgId });
    expect((await update({ userId: member, name: "Hijacked" }, { bearer: orgToken })).status).toBe(
      403,
    );
    expect(await stored(member)).toMatchObject({ name: "Org Member", isSystemAdmin: false });
  });
});

describe("users.list", () => {
  let orgX: string;
  let orgY: string;
  let adminX: string;
  const xMembers: string[] = [];
  const yMembers: string[] = [];

  beforeAll(async () => {
    orgX = await fx.insertOrganization(h.db, "List Org X");
    orgY = await fx.insertOrganization(h.db, "List Org Y");
    adminX = await newUser();
    await fx.addOrgMember(h.db, orgX, adminX, "ORG_ADMIN");
    xMembers.push(adminX);
    for (let i = 0; i < 3; i++) {
      const x = await newUser({ name: `Xavier ${i}` });
      await fx.addOrgMember(h.db, orgX, x, "MEMBER");
      xMembers.push(x);
      const y = await newUser({ name: `Yolanda ${i}` });
      await fx.addOrgMember(h.db, orgY, y, "MEMBER");
      yMembers.push(y);
    }
  });

  it("shows a system admin everyone, paginated", async () => {
    const admin = await as(adminId);
    const total = await h.db.prisma.user.count();
    const first = await list({ pageSize: 2 }, admin);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      total,
      page: 1,
      pageSize: 2,
      totalPages: Math.ceil(total / 2),
    });
    expect(first.data.items).toHaveLength(2);
    const second = await list({ pageSize: 2, page: 2 }, admin);
    expect(second.data.items.map((u) => u.id)).not.toContain(first.data.items[0]!.id);
  });

  it("searches names and emails case-insensitively", async () => {
    const res = await list({ search: "yOLANDA", pageSize: 100 }, await as(adminId));
    expect(res.data.items.map((u) => u.id).sort()).toEqual([...yMembers].sort());
  });

  it("shows an org admin only their organizations' members", async () => {
    const credentials = await as(adminX);
    const all = await list({ pageSize: 100 }, credentials);
    expect(all.status).toBe(200);
    expect(all.data.items.map((u) => u.id).sort()).toEqual([...xMembers].sort());
    expect(all.data.total).toBe(xMembers.length);

    const scoped = await list({ organizationId: orgX, pageSize: 100 }, credentials);
    expect(scoped.data.items.map((u) => u.id).sort()).toEqual([...xMembers].sort());

    // A search does not widen the scope.
    const searched = await list({ search: "yolanda", pageSize: 100 }, credentials);
    expect(searched.data.items).toEqual([]);

    const other = await list({ organizationId: orgY }, credentials);
    expect(other.status).toBe(403);
  });

  it("shows an org-scoped service token only its organization's members", async () => {
    const bearer = await fx.insertServiceToken(h.db, { organizationId: orgY });
    const res = await list({ pageSize: 100 }, { bearer });
    expect(res.status).toBe(200);
    expect(res.data.items.map((u) => u.id).sort()).toEqual([...yMembers].sort());
    expect((await list({ organizationId: orgX }, { bearer })).status).toBe(403);
  });

  it("refuses plain members", async () => {
    expect((await list({}, await as(xMembers[1]!))).status).toBe(403);
  });

  it("rejects out-of-range paging with field errors", async () => {
    const res = await list({ pageSize: 1000, page: 0 }, await as(adminId));
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {}).sort()).toEqual(["page", "pageSize"]);
  });
});

describe("audit events are written in the same transaction as the change", () => {
  it("users.update: no event, no change", async () => {
    const userId = await newUser({ name: "Before" });
    await withAuditRefused(h.db, "user.update", async () => {
      const res = await update({ userId, name: "After" }, await as(adminId));
      expect(res.status).toBe(500);
      // The database's message stays in the log.
      expect(res.error?.message).not.toMatch(/audit refused/);
    });
    expect((await stored(userId)).name).toBe("Before");
  });

  it("users.create: no event, no user", async () => {
    await withAuditRefused(h.db, "user.create", async () => {
      const res = await create(
        { email: "atomic@users.example.com", name: "Atomic", password: "a long enough password" },
        await as(adminId),
      );
      expect(res.status).toBe(500);
    });
    expect(await h.db.prisma.user.count({ where: { email: "atomic@users.example.com" } })).toBe(0);
  });
});

describe("the last active system admin", () => {
  // A database of its own, so the number of admins is exactly what each test sets up.
  let hl: Harness;
  let rootId: string;
  let token: string;
  beforeAll(async () => {
    hl = await startHarness();
    rootId = await fx.insertUser(hl.db, {
      email: "only-admin@users.example.com",
      isSystemAdmin: true,
    });
    // Admin-scoped tokens act as admins but are not people: they never count as one.
    token = await fx.insertServiceToken(hl.db, { admin: true }, false, { createdById: rootId });
  });
  afterAll(() => hl?.close());

  const upd = (input: unknown, credentials: Credentials) =>
    call<User>(hl.url, "mutation", "users.update", input, { credentials });
  const activeAdmins = () =>
    hl.db.prisma.user.count({ where: { isSystemAdmin: true, isActive: true } });

  it("cannot be demoted or disabled, by themselves or by a token: 412", async () => {
    const self = { cookie: await fx.insertSession(hl, rootId) };
    for (const [input, credentials] of [
      [{ userId: rootId, isSystemAdmin: false }, self],
      [{ userId: rootId, isActive: false }, self],
      [{ userId: rootId, isSystemAdmin: false }, { bearer: token }],
      [{ userId: rootId, isActive: false, name: "Gone" }, { bearer: token }],
    ] as const) {
      const res = await upd(input, credentials);
      expect(res.status, JSON.stringify(input)).toBe(412);
      expect(res.error?.data.code).toBe("PRECONDITION_FAILED");
    }
    expect(await hl.db.prisma.user.findUniqueOrThrow({ where: { id: rootId } })).toMatchObject({
      isSystemAdmin: true,
      isActive: true,
      name: "only-admin",
    });
  });

  it("a disabled admin does not count as another admin", async () => {
    await fx.insertUser(hl.db, {
      email: "disabled-admin@users.example.com",
      isSystemAdmin: true,
      isActive: false,
    });
    expect((await upd({ userId: rootId, isSystemAdmin: false }, { bearer: token })).status).toBe(
      412,
    );
  });

  it("can be demoted once another active admin exists", async () => {
    const second = await fx.insertUser(hl.db, {
      email: "second-admin@users.example.com",
      isSystemAdmin: true,
    });
    const res = await upd(
      { userId: second, isSystemAdmin: false },
      { cookie: await fx.insertSession(hl, rootId) },
    );
    expect(res.status).toBe(200);
    expect(await activeAdmins()).toBe(1);
  });

  // TODO(bug: write skew in the last-admin rule): packages/db/src/users/system-admins.ts
  // locks only the target row (`SELECT ... WHERE id = $userId FOR UPDATE`) before counting
  // the *other* active admins. Two concurrent demotions of the only two admins each lock
  // their own row, each count the other as still an admin, and both commit: zero admins.
  // Fix: serialize changes to the admin set, e.g. when `input.isSystemAdmin === false ||
  // input.isActive === false`, run `SELECT pg_advisory_xact_lock(hashtext('gatehouse.system-admins'))`
  // as the transaction's first statement (before the row lock). PGlite never interleaves
  // transactions, so this only runs against the PostgreSQL server.
  it.skipIf(testBackend() === "pglite")(
    "keeps one admin when the last two are demoted at the same time",
    async () => {
      const other = await fx.insertUser(hl.db, {
        email: "race-admin@users.example.com",
        isSystemAdmin: true,
      });
      expect(await activeAdmins()).toBe(2);

      const results = await holdingAuditInserts(hl, () =>
        Promise.all([
          upd({ userId: rootId, isSystemAdmin: false }, { bearer: token }),
          upd({ userId: other, isSystemAdmin: false }, { bearer: token }),
        ]),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      expect(await activeAdmins()).toBe(1);
    },
  );
});

/**
 * Runs `start` while every insert into audit_events is held back, and lets them go once two
 * requests are waiting on a lock. Every mutation writes its audit event last, so both
 * transactions are then past their checks before either commits, whatever the scheduling.
 */
async function holdingAuditInserts<T>(harness: Harness, start: () => Promise<T>): Promise<T> {
  const blocker = await harness.db.pool.connect();
  try {
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE audit_events IN SHARE MODE");
    const pending = start();
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      // Only this test's database: other test files share the server.
      const { rows } = await blocker.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if ((rows[0]?.waiting ?? 0) >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await blocker.query("COMMIT");
    return await pending;
  } catch (error) {
    await blocker.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    blocker.release();
  }
}
