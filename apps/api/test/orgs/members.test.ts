/**
 * Organization membership: an organization never ends up without an ORG_ADMIN (not by a
 * demotion, a removal, nor two admins removing each other at once), and orgs.get finds the
 * caller's own role by a direct lookup whatever the organization's size.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWithRoot, type Harness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import {
  addOrgMember,
  insertOrganization,
  type PersonMaker,
  uniqueName,
} from "../support/fixtures.ts";

let h: Harness;
let person: PersonMaker;
let root: Credentials;

beforeAll(async () => ({ h, person, root } = await startWithRoot("orgs.example.com")));
afterAll(() => h?.close());

describe("an organization never ends up without an ORG_ADMIN", () => {
  async function orgWithAdmins(count: number) {
    const org = await insertOrganization(h.db, uniqueName("Admin Org"));
    const admins = [];
    for (let i = 0; i < count; i++) {
      const admin = await person("org-admin");
      await addOrgMember(h.db, org, admin.id, "ORG_ADMIN");
      admins.push(admin);
    }
    return { org, admins };
  }
  const adminCount = (org: string) =>
    h.db.prisma.organizationMember.count({ where: { organizationId: org, role: "ORG_ADMIN" } });

  it("orgs.addMember cannot demote the only admin, not even by a system admin (412)", async () => {
    const { org, admins } = await orgWithAdmins(1);
    for (const creds of [admins[0]!.creds, root]) {
      const res = await h.mutation(
        "orgs.addMember",
        { organizationId: org, userId: admins[0]!.id, role: "MEMBER" },
        { credentials: creds },
      );
      expect(res.status).toBe(412);
      expect(res.error?.data.code).toBe("PRECONDITION_FAILED");
    }
    expect(await adminCount(org)).toBe(1);
    expect(
      await h.db.prisma.auditEvent.count({
        where: { action: "org.member.setRole", targetId: org },
      }),
    ).toBe(0);
  });

  it("orgs.removeMember cannot remove the only admin, not even by a system admin (412)", async () => {
    const { org, admins } = await orgWithAdmins(1);
    const res = await h.mutation(
      "orgs.removeMember",
      { organizationId: org, userId: admins[0]!.id },
      { credentials: root },
    );
    expect(res.status).toBe(412);
    expect(await adminCount(org)).toBe(1);
  });

  it("with a second admin, demotion and removal work", async () => {
    const { org, admins } = await orgWithAdmins(2);
    await h.mutationOk(
      "orgs.addMember",
      { organizationId: org, userId: admins[1]!.id, role: "MEMBER" },
      admins[0]!.creds,
    );
    await h.mutationOk(
      "orgs.removeMember",
      { organizationId: org, userId: admins[1]!.id },
      admins[0]!.creds,
    );
    expect(await adminCount(org)).toBe(1);
  });

  it("two admins removing (or demoting) each other at once: exactly one succeeds", async () => {
    // Several organizations at once, so the requests really overlap on a server backend.
    const pairs = await Promise.all(Array.from({ length: 6 }, () => orgWithAdmins(2)));
    const results = await Promise.all(
      pairs.map(async ({ org, admins: [a, b] }, i) => {
        const demoteInstead = i % 2 === 1;
        const [ab, ba] = await Promise.all([
          h.mutation(
            "orgs.removeMember",
            { organizationId: org, userId: b!.id },
            { credentials: a!.creds },
          ),
          demoteInstead
            ? h.mutation(
                "orgs.addMember",
                { organizationId: org, userId: a!.id, role: "MEMBER" },
                { credentials: b!.creds },
              )
            : h.mutation(
                "orgs.removeMember",
                { organizationId: org, userId: a!.id },
                { credentials: b!.creds },
              ),
        ]);
        return { statuses: [ab.status, ba.status].sort(), admins: await adminCount(org) };
      }),
    );
    for (const result of results) {
      expect(result.statuses).toEqual([200, 412]);
      expect(result.admins).toBe(1);
    }
  });
});

describe("orgs.get: the caller's role comes from a direct lookup, not the first 1,000 members", () => {
  it("a member sorted after the first 1,000 sees the organization and their role", async () => {
    const org = await insertOrganization(h.db, uniqueName("Big Org"));
    const tag = uniqueName("big");
    await h.db.prisma.user.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        email: `a${String(i).padStart(4, "0")}-${tag}@review.example.com`,
        name: `A ${i}`,
        passwordHash: "x",
      })),
    });
    const early = await h.db.prisma.user.findMany({
      where: { email: { endsWith: `-${tag}@review.example.com` } },
      select: { id: true },
    });
    await h.db.prisma.organizationMember.createMany({
      data: early.map((u) => ({ organizationId: org, userId: u.id, role: "MEMBER" as const })),
    });
    const late = await person("late", { email: `zz-${tag}@review.example.com` });
    await addOrgMember(h.db, org, late.id, "ORG_ADMIN");

    const res = await h.query<Out<"orgs.get">>(
      "orgs.get",
      { organizationId: org },
      { credentials: late.creds },
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ myRole: "ORG_ADMIN", membersCount: 1001 });
  });
});

// Keeps the backend visible in the report (the vitest config runs this file on each).
