import crypto from "node:crypto";
import { isTeamExpired, normalizeEmail } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoSeedFacts, seedDemo, type SeedDemoResult } from "../src/data/seed.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

// A stand-in for argon2: deterministic, so a stored hash can be recomputed from the
// returned password, which is all "can log in" means at this layer.
const testHash = (plain: string) =>
  Promise.resolve(`test-sha256$${crypto.createHash("sha256").update(plain).digest("hex")}`);
const now = new Date("2026-06-30T12:00:00Z");
const region = {
  name: "Local Demo",
  baseUrl: "http://127.0.0.1:4010",
  masterKey: "sk-test-master",
};

let db: TestDatabase;
let first: SeedDemoResult;
let second: SeedDemoResult;

beforeAll(async () => {
  db = await createTestDatabase();
  // Two instances starting at once against an empty database.
  [first, second] = await Promise.all([
    seedDemo(db, { hashPassword: testHash, now, region }),
    seedDemo(db, { hashPassword: testHash, now, region }),
  ]);
});
afterAll(async () => {
  await db?.close();
});

describe("seedDemo", () => {
  it("seeds exactly once, also when two starts race", async () => {
    expect([first.seeded, second.seeded].sort()).toEqual([false, true]);
    const counts = await db.prisma.user.count();
    expect(await seedDemo(db, { hashPassword: testHash, now, region })).toEqual({
      seeded: false,
    });
    expect(await db.prisma.user.count()).toBe(counts);
  });

  it("returns a random password per account that matches its stored hash", async () => {
    const result = first.seeded ? first : second;
    if (!result.seeded) throw new Error("nothing seeded");
    const { credentials } = result;
    expect(credentials.length).toBeGreaterThanOrEqual(10);
    expect(new Set(credentials.map((c) => c.password)).size).toBe(credentials.length);
    for (const c of credentials) {
      expect(c.email).toBe(normalizeEmail(c.email));
      expect(c.password.length).toBeGreaterThanOrEqual(12);
      expect(c.role).not.toBe("");
      const user = await db.prisma.user.findUniqueOrThrow({ where: { email: c.email } });
      expect(user.passwordHash).toBe(await testHash(c.password));
      expect(user.isActive).toBe(true);
    }
    expect(credentials.find((c) => c.email === demoSeedFacts.systemAdminEmail)?.role).toMatch(
      /system admin/,
    );
  });

  it("covers every role, organization-less teams and the given region", async () => {
    const orgRoles = await db.prisma.organizationMember.groupBy({ by: ["role"], _count: true });
    expect(orgRoles.map((r) => r.role).sort()).toEqual(["MEMBER", "ORG_ADMIN"]);
    const teamRoles = await db.prisma.teamMember.groupBy({ by: ["role"], _count: true });
    expect(teamRoles.map((r) => r.role).sort()).toEqual([
      "ADMIN",
      "KEY_CREATOR",
      "MEMBER",
      "READ_ONLY",
    ]);
    expect(await db.prisma.organization.count()).toBe(3);
    expect(await db.prisma.team.count()).toBeGreaterThanOrEqual(12);
    const orphans = await db.prisma.team.findMany({
      where: { organizationId: null },
      select: { name: true },
    });
    expect(orphans.map((t) => t.name).sort()).toEqual(
      [...demoSeedFacts.teamsWithoutOrganization].sort(),
    );
    expect(await db.prisma.region.findMany()).toMatchObject([
      { name: region.name, litellmBaseUrl: region.baseUrl, litellmMasterKey: region.masterKey },
    ]);
    const statuses = await db.prisma.teamProduct.groupBy({ by: ["status"], _count: true });
    expect(statuses.map((s) => s.status).sort()).toEqual(["ACTIVE", "CANCELLED", "LAPSED"]);
    const keys = await db.prisma.apiKey.findMany();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.keyPrefix).toMatch(/^sk-demo/);
    expect(await db.prisma.auditEvent.count()).toBeGreaterThan(0);
  });

  it("has exactly one expired team by core's rule, and it is the designated one", async () => {
    const teams = await db.prisma.team.findMany({
      include: { products: { where: { status: "ACTIVE" }, select: { id: true } } },
    });
    const expired = teams.filter((t) =>
      isTeamExpired({ ...t, hasActiveProduct: t.products.length > 0 }, now),
    );
    expect(expired.map((t) => t.name)).toEqual([demoSeedFacts.expiredTeamName]);
    const legacy = expired[0]!;
    expect(legacy.lastPaymentAt).toBeNull();
    expect(now.getTime() - legacy.createdAt.getTime()).toBe(60 * 86_400_000);
    const free = teams.find((t) => t.name === demoSeedFacts.alwaysFreeTeamName)!;
    expect(free.alwaysFree).toBe(true);
    expect(isTeamExpired({ ...free, hasActiveProduct: false }, now)).toBe(false);
  });
});
