/**
 * users.create / users.update over HTTP: validation with field-level errors and nothing
 * changed, case-insensitive email uniqueness, self-service limits (the privilege-escalation
 * pattern of LiteLLM CVE-2026-47102), and an audit event for every mutation, committed with
 * it or not at all.
 */
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import * as fx from "../support/fixtures.ts";
import { withAuditRefused } from "../support/database.ts";
import { h, adminId, as, newUser, create, update, stored, auditOf } from "./suite.ts";
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
      {
        email: `${fx.uniqueName("probe")}@users.example.com`,
        name: "P",
        password: "a long enough password",
      },
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
