/**
 * The user directory stays within each tenant, over HTTP: an org admin (or org-scoped
 * token) finds by email only people they already share an organization with, cannot add a
 * stranger (a system admin included) to their organization, and does not learn from
 * users.list who administers the platform or when people last signed in; a team admin of a
 * team of no organization adds only people they already see. System admins keep all four.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

let h: Harness;
let orgA: string;
let orgB: string;
let orgC: string;
let platformAdmin: { id: string; email: string };
let memberA: { id: string; email: string };
let memberB: { id: string; email: string };
let memberC: { id: string; email: string };
let orgAdminA: Credentials;
let orgTokenA: Credentials;
let systemAdmin: Credentials;
let counter = 0;

async function person(organizationId: string | null, isSystemAdmin = false) {
  counter += 1;
  const email = `person${counter}@directory.example.com`;
  const id = await fx.insertUser(h.db, { email, isSystemAdmin });
  if (organizationId) await fx.addOrgMember(h.db, organizationId, id, "MEMBER");
  await h.db.prisma.user.update({ where: { id }, data: { lastLoginAt: h.clock.now() } });
  return { id, email };
}

beforeAll(async () => {
  h = await startHarness();
  orgA = await fx.insertOrganization(h.db, "Directory A");
  orgB = await fx.insertOrganization(h.db, "Directory B");
  orgC = await fx.insertOrganization(h.db, "Directory C");
  platformAdmin = await person(null, true);
  memberA = await person(orgA);
  memberB = await person(orgB);
  memberC = await person(orgC);
  // The org admin of A is also a plain member of C: C's people are already known to them.
  const adminA = await person(null);
  await fx.addOrgMember(h.db, orgA, adminA.id, "ORG_ADMIN");
  await fx.addOrgMember(h.db, orgC, adminA.id, "MEMBER");
  orgAdminA = { cookie: await fx.insertSession(h, adminA.id) };
  orgTokenA = { bearer: await fx.insertServiceToken(h.db, { organizationId: orgA }) };
  systemAdmin = { cookie: await fx.insertSession(h, platformAdmin.id) };
});
afterAll(() => h?.close());

function lookup(email: string, credentials: Credentials) {
  return h.query<Out<"users.lookup">>("users.lookup", { email }, { credentials });
}
function addMember(organizationId: string, userId: string, credentials: Credentials) {
  return h.mutation<Out<"orgs.addMember">>(
    "orgs.addMember",
    { organizationId, userId, role: "MEMBER" },
    { credentials },
  );
}

describe("users.lookup finds only people the caller already sees", () => {
  it.each([
    [
      "an org admin",
      () => orgAdminA,
      { platformAdmin: false, memberA: true, memberB: false, memberC: true },
    ],
    [
      "an org-scoped token",
      () => orgTokenA,
      { platformAdmin: false, memberA: true, memberB: false, memberC: false },
    ],
    [
      "a system admin",
      () => systemAdmin,
      { platformAdmin: true, memberA: true, memberB: true, memberC: true },
    ],
  ] as const)("%s", async (_name, credentials, found) => {
    const people = { platformAdmin, memberA, memberB, memberC };
    for (const [key, target] of Object.entries(people)) {
      const res = await lookup(target.email, credentials());
      expect(res.status, key).toBe(200);
      expect(res.data?.id ?? null, key).toBe(found[key as keyof typeof found] ? target.id : null);
    }
  });
});

describe("orgs.addMember by an org admin takes only people already in their organizations", () => {
  it("refuses a stranger (a system admin) with a word about invitations, and changes nothing", async () => {
    for (const credentials of [orgAdminA, orgTokenA]) {
      const res = await addMember(orgA, platformAdmin.id, credentials);
      expect(res.status).toBe(403);
      expect(res.error?.message).toMatch(/invitation/);
    }
    const outsider = await person(orgB);
    expect((await addMember(orgA, outsider.id, orgAdminA)).status).toBe(403);
    expect(
      await h.db.prisma.organizationMember.count({
        where: { organizationId: orgA, userId: { in: [platformAdmin.id, outsider.id] } },
      }),
    ).toBe(0);
    expect(
      await h.db.prisma.auditEvent.count({
        where: { action: "org.member.add", organizationId: orgA },
      }),
    ).toBe(0);
  });

  it("adds someone from another of the admin's organizations", async () => {
    const res = await addMember(orgA, memberC.id, orgAdminA);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ organizationId: orgA, userId: memberC.id, role: "MEMBER" });
  });

  it("still lets a system admin add anyone", async () => {
    const res = await addMember(orgA, memberB.id, systemAdmin);
    expect(res.status).toBe(200);
  });
});

describe("teams.addMember on a team of no organization takes only people the caller already sees", () => {
  it("a team admin cannot add a stranger (404, as unknown) but adds someone of their organization; a system admin adds anyone", async () => {
    const teamId = await fx.insertTeam(h.db, { name: "Directory orgless", organizationId: null });
    const admin = await person(orgA);
    await fx.addTeamMember(h.db, teamId, admin.id, "ADMIN");
    const adminCreds: Credentials = { cookie: await fx.insertSession(h, admin.id) };
    // Of another organization only (earlier tests may have added memberB to A).
    const otherTenant = await person(orgB);
    const add = (userId: string, creds: Credentials) =>
      h.mutation("teams.addMember", { teamId, userId, role: "MEMBER" }, { credentials: creds });

    for (const stranger of [platformAdmin, otherTenant]) {
      const refused = await add(stranger.id, adminCreds);
      expect(refused.status).toBe(404);
      expect(refused.error?.data.details).toEqual({ field: "userId" });
    }
    expect(await h.db.prisma.teamMember.count({ where: { teamId } })).toBe(1);
    expect(
      await h.db.prisma.auditEvent.count({
        where: { action: "team.member.add", targetId: teamId },
      }),
    ).toBe(0);

    expect((await add(memberA.id, adminCreds)).status).toBe(200);
    expect((await add(otherTenant.id, systemAdmin)).status).toBe(200);
    expect(
      (await h.db.prisma.teamMember.findMany({ where: { teamId }, select: { userId: true } }))
        .map((m) => m.userId)
        .sort(),
    ).toEqual([admin.id, memberA.id, otherTenant.id].sort());
  });
});

describe("users.list shows platform-wide facts to system admins only", () => {
  it("omits the system-admin flag and last sign-in for an org admin", async () => {
    await h.db.prisma.organizationMember.create({
      data: { organizationId: orgA, userId: platformAdmin.id, role: "MEMBER" },
    });
    const input = { organizationId: orgA, pageSize: 100 };
    for (const credentials of [orgAdminA, orgTokenA]) {
      const res = await h.query<Out<"users.list">>("users.list", input, {
        credentials,
      });
      expect(res.status).toBe(200);
      const row = res.data?.items.find((u) => u.id === platformAdmin.id);
      expect(row).toBeDefined();
      expect(row).not.toHaveProperty("isSystemAdmin");
      expect(row).not.toHaveProperty("lastLoginAt");
    }
    const res = await h.query<Out<"users.list">>("users.list", input, {
      credentials: systemAdmin,
    });
    const row = res.data?.items.find((u) => u.id === platformAdmin.id);
    expect(row?.isSystemAdmin).toBe(true);
    expect(row?.lastLoginAt).toEqual(expect.any(String));
  });
});
