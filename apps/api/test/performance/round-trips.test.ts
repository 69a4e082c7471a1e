/**
 * How many database round trips a request costs, counted on the wire at pg's
 * connection, which both Prisma's adapter and the hand-written SQL use. Counts, never timings: round trips are
 * what a busy database turns into latency, and they do not depend on the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import * as fx from "../support/fixtures.ts";
import { countRoundTrips, withAuditRefused } from "../support/database.ts";

let h: Harness;
let admin: { cookie: string };

beforeAll(async () => {
  // Without the session cache, so every count includes the session lookup on both
  // backends; what the cache saves is counted at the end.
  h = await startHarness({ config: { sessionCacheMs: 0 } });
  const adminId = await fx.insertUser(h.db, { email: "admin@example.com", isSystemAdmin: true });
  admin = { cookie: await fx.insertSession(h, adminId) };
  // A warm server: the pool's one-time probe of the server (may it name statements?),
  // sent ahead of this request's own queries, is not a request's round trip.
  await h.queryOk("teams.list", {}, admin);
});
afterAll(async () => h?.close());

describe("database round trips per request", () => {
  it("teams.get answers in at most 3 (session, access, detail) with everything on the page", async () => {
    const org = await h.db.prisma.organization.create({ data: { name: "Acme" } });
    const team = await h.db.prisma.team.create({
      data: { name: "Falcon", organizationId: org.id },
    });
    for (const [i, role] of (["ADMIN", "MEMBER", "READ_ONLY"] as const).entries()) {
      const userId = await fx.insertUser(h.db, { email: `m${i}@example.com`, name: `Member ${i}` });
      await h.db.prisma.teamMember.create({
        data: { teamId: team.id, userId, role, createdAt: new Date(Date.UTC(2026, 0, 1 + i)) },
      });
    }
    const product = await h.db.prisma.product.create({
      data: { name: "Pro", limits: { maxBudgetUsd: 50 } },
    });
    await h.db.prisma.teamProduct.create({ data: { teamId: team.id, productId: product.id } });
    await h.db.prisma.teamBlock.create({
      data: { teamId: team.id, reason: "manual", note: "audit" },
    });

    let detail: Record<string, unknown> = {};
    const trips = await countRoundTrips(async () => {
      detail = await h.queryOk("teams.get", { teamId: team.id }, admin);
    });
    // At least the session lookup and the answer: a counter that sees nothing fails here.
    expect(trips).toBeGreaterThanOrEqual(2);
    expect(trips).toBeLessThanOrEqual(3);
    expect(detail).toMatchObject({
      id: team.id,
      name: "Falcon",
      organization: { id: org.id, name: "Acme" },
      membersCount: 3,
      keysCount: 0,
      activeProducts: [{ id: product.id, name: "Pro" }],
      blocked: true,
      blockReasons: [{ reason: "manual", note: "audit" }],
      entitlement: {
        maxBudgetUsd: 50,
        sources: { maxBudgetUsd: { productId: product.id, productName: "Pro" } },
      },
      members: [
        { name: "Member 0", role: "ADMIN" },
        { name: "Member 1", role: "MEMBER" },
        { name: "Member 2", role: "READ_ONLY" },
      ],
      products: [{ productId: product.id, name: "Pro", status: "ACTIVE" }],
    });
    expect((detail.members as Array<{ createdAt: string }>)[0]!.createdAt).toBe(
      "2026-01-01T00:00:00.000Z",
    );
  });

  it("teams.list answers a first page in 2 (session, page with its total)", async () => {
    const trips = await countRoundTrips(async () => {
      await h.queryOk("teams.list", {}, admin);
    });
    // At least the session lookup and the answer: a counter that sees nothing fails here.
    expect(trips).toBeGreaterThanOrEqual(2);
    expect(trips).toBeLessThanOrEqual(2);
  });

  describe("team membership and creation: one statement each after the access check", () => {
    let org: string;
    let team: string;
    let teamAdmin: { id: string; cookie: string };
    const auditOf = (action: string, targetId: string) =>
      h.db.prisma.auditEvent.findMany({
        where: { action, targetId },
        select: {
          actorUserId: true,
          actorServiceTokenId: true,
          targetType: true,
          organizationId: true,
          details: true,
          requestId: true,
        },
      });

    beforeAll(async () => {
      org = await fx.insertOrganization(h.db, "Trips Org");
      team = await fx.insertTeam(h.db, { name: "Trips team", organizationId: org });
      const id = await fx.insertUser(h.db, { email: "trips-admin@example.com" });
      await fx.addOrgMember(h.db, org, id, "MEMBER");
      await fx.addTeamMember(h.db, team, id, "ADMIN");
      teamAdmin = { id, cookie: await fx.insertSession(h, id) };
    });

    it("teams.addMember (a team of an organization) in at most 3 (session, access, add)", async () => {
      const userId = await fx.insertUser(h.db, { email: "trips-new@example.com" });
      await fx.addOrgMember(h.db, org, userId, "MEMBER");
      let added: unknown;
      const trips = await countRoundTrips(async () => {
        added = await h.mutationOk(
          "teams.addMember",
          { teamId: team, userId, role: "KEY_CREATOR" },
          teamAdmin,
        );
      });
      expect(trips).toBeGreaterThanOrEqual(2);
      expect(trips).toBeLessThanOrEqual(3);
      expect(added).toEqual({ teamId: team, userId, role: "KEY_CREATOR" });
      const [event, ...more] = await auditOf("team.member.add", team);
      expect(more).toEqual([]);
      expect(event).toMatchObject({
        actorUserId: teamAdmin.id,
        actorServiceTokenId: null,
        targetType: "team",
        organizationId: org,
        details: { userId, role: "KEY_CREATOR" },
      });
      expect(event?.requestId).toEqual(expect.any(String));

      // Refusals cost no more, and write nothing.
      const again = await h.mutation(
        "teams.addMember",
        { teamId: team, userId, role: "MEMBER" },
        { credentials: teamAdmin },
      );
      expect(again.status).toBe(409);
      expect(again.error?.message).toBe(
        "Already a member of this team; use setMemberRole to change the role",
      );
      const outsider = await fx.insertUser(h.db, { email: "trips-outsider@example.com" });
      const refused = await h.mutation(
        "teams.addMember",
        { teamId: team, userId: outsider, role: "MEMBER" },
        { credentials: teamAdmin },
      );
      expect(refused.status).toBe(404);
      expect(refused.error?.data.details).toEqual({ field: "userId" });
      expect(await auditOf("team.member.add", team)).toHaveLength(1);
    });

    // A removal also blocks the person's keys and queues the proxy work: one transaction of
    // BEGIN, the team and member locks, leave (memberships, blocks, jobs, audit), COMMIT.
    // (A team admin removing an ADMIN adds the last-admin counts, read after the locks.)
    it("teams.removeMember in at most 6 (session, access, a 4-step transaction)", async () => {
      const userId = await fx.insertUser(h.db, { email: "trips-leaver@example.com" });
      await fx.addOrgMember(h.db, org, userId, "MEMBER");
      await fx.addTeamMember(h.db, team, userId, "READ_ONLY");
      const trips = await countRoundTrips(async () => {
        await h.mutationOk("teams.removeMember", { teamId: team, userId }, teamAdmin);
      });
      expect(trips).toBeGreaterThanOrEqual(2);
      expect(trips).toBeLessThanOrEqual(6);
      expect(await h.db.prisma.teamMember.count({ where: { teamId: team, userId } })).toBe(0);
      expect(await auditOf("team.member.remove", team)).toMatchObject([
        {
          actorUserId: teamAdmin.id,
          targetType: "team",
          organizationId: org,
          details: { userId, role: "READ_ONLY", blockedKeys: 0 },
        },
      ]);
      const gone = await h.mutation(
        "teams.removeMember",
        { teamId: team, userId },
        { credentials: teamAdmin },
      );
      expect(gone.status).toBe(404);
      expect(gone.error?.message).toBe("Team member not found");
    });

    it("teams.create in at most 2 (session, create)", async () => {
      let created: { id: string; organization: unknown; createdAt: string } | undefined;
      const trips = await countRoundTrips(async () => {
        created = await h.mutationOk(
          "teams.create",
          { name: "Trips created", organizationId: org },
          admin,
        );
      });
      expect(trips).toBeGreaterThanOrEqual(2);
      expect(trips).toBeLessThanOrEqual(2);
      expect(created?.organization).toEqual({ id: org, name: "Trips Org" });
      const stored = await h.db.prisma.team.findUniqueOrThrow({ where: { id: created!.id } });
      expect(stored.createdAt.toISOString()).toBe(created!.createdAt);
      expect(await auditOf("team.create", created!.id)).toMatchObject([
        { targetType: "team", organizationId: org, details: { name: "Trips created" } },
      ]);
    });

    it("each writes nothing when its audit event cannot be written (one statement, one commit)", async () => {
      const userId = await fx.insertUser(h.db, { email: "trips-atomic@example.com" });
      await fx.addOrgMember(h.db, org, userId, "MEMBER");
      const add = () =>
        h.mutation(
          "teams.addMember",
          { teamId: team, userId, role: "MEMBER" },
          { credentials: teamAdmin },
        );
      await withAuditRefused(h.db, "team.member.add", async () => {
        expect((await add()).status).toBe(500);
      });
      expect(await h.db.prisma.teamMember.count({ where: { teamId: team, userId } })).toBe(0);

      expect((await add()).status).toBe(200);
      await withAuditRefused(h.db, "team.member.remove", async () => {
        const res = await h.mutation(
          "teams.removeMember",
          { teamId: team, userId },
          { credentials: teamAdmin },
        );
        expect(res.status).toBe(500);
      });
      expect(await h.db.prisma.teamMember.count({ where: { teamId: team, userId } })).toBe(1);

      await withAuditRefused(h.db, "team.create", async () => {
        const res = await h.mutation(
          "teams.create",
          { name: "Trips atomic", organizationId: org },
          { credentials: admin },
        );
        expect(res.status).toBe(500);
      });
      expect(await h.db.prisma.team.count({ where: { name: "Trips atomic" } })).toBe(0);
    });
  });
});
