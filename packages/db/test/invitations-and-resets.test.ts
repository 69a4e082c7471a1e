/**
 * The invitation and password reset queries on PGlite and PostgreSQL: one pending
 * invitation per (email, organization, team) (the partial unique index, NULLs included), a
 * token claimed once whatever the concurrency, expired and revoked ones never; a reset
 * request taken by one processor; a reset token used once and never after its expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimInvitation,
  claimPasswordResetRequest,
  insertInvitation,
  insertPasswordResetRequest,
  revokeInvitation,
  settlePasswordResetRequest,
  usePasswordResetToken,
  type NewInvitation,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let orgId: string;
let userId: string;
const now = new Date("2026-03-01T00:00:00Z");
const later = new Date("2026-03-08T00:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  orgId = (await db.prisma.organization.create({ data: { name: "inv org" } })).id;
  userId = (
    await db.prisma.user.create({ data: { email: "reset@db.test", name: "R", passwordHash: "x" } })
  ).id;
});
afterAll(() => db?.close());

const invitation = (email: string, tokenHash: string, over: Partial<NewInvitation> = {}) => ({
  email,
  organizationId: orgId,
  orgRole: "MEMBER" as const,
  teamId: null,
  teamRole: null,
  tokenHash,
  invitedById: null,
  createdAt: now,
  expiresAt: later,
  ...over,
});

describe("invitations", () => {
  it("keeps one pending invitation per (email, organization, team), NULLs included", async () => {
    await db.prisma.$transaction((tx) => insertInvitation(tx, invitation("one@db.test", "h1")));
    await expect(
      db.prisma.$transaction((tx) => insertInvitation(tx, invitation("one@db.test", "h2"))),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    // The index itself, past the check (two creates at once).
    await expect(
      db.prisma.invitation.create({ data: invitation("one@db.test", "h3") }),
    ).rejects.toMatchObject({ code: "P2002" });
    const bare = invitation("bare@db.test", "h4", { organizationId: null, orgRole: null });
    await db.prisma.invitation.create({ data: bare });
    await expect(
      db.prisma.invitation.create({ data: { ...bare, tokenHash: "h5" } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("replaces an expired pending invitation instead of refusing", async () => {
    await db.prisma.$transaction((tx) =>
      insertInvitation(tx, invitation("stale@db.test", "s1", { expiresAt: now })),
    );
    const fresh = await db.prisma.$transaction((tx) =>
      insertInvitation(tx, invitation("stale@db.test", "s2", { createdAt: now })),
    );
    expect(fresh.email).toBe("stale@db.test");
  });

  it("is claimed once under concurrency, never when expired or revoked", async () => {
    await db.prisma.invitation.create({ data: invitation("race@db.test", "r1") });
    const claims = await Promise.all(
      [1, 2, 3, 4].map(() => db.prisma.$transaction((tx) => claimInvitation(tx, "r1", now))),
    );
    expect(claims.filter((c) => c !== null)).toHaveLength(1);

    await db.prisma.invitation.create({ data: invitation("late@db.test", "r2") });
    expect(await db.prisma.$transaction((tx) => claimInvitation(tx, "r2", later))).toBeNull();

    const revoked = await db.prisma.invitation.create({ data: invitation("rev@db.test", "r3") });
    await db.prisma.$transaction((tx) => revokeInvitation(tx, revoked.id, now));
    expect(await db.prisma.$transaction((tx) => claimInvitation(tx, "r3", now))).toBeNull();
  });
});

describe("password resets", () => {
  it("a request is processed once; its token works once and not after expiry", async () => {
    const { id } = await db.prisma.$transaction((tx) =>
      insertPasswordResetRequest(tx, "reset@db.test", now),
    );
    const claimed = await db.prisma.$transaction(async (tx) => {
      const request = await claimPasswordResetRequest(tx, id);
      await settlePasswordResetRequest(tx, id, {
        now,
        token: { userId, tokenHash: "t1", expiresAt: later },
      });
      return request;
    });
    expect(claimed).toEqual({ id, email: "reset@db.test", userId });
    expect(await db.prisma.$transaction((tx) => claimPasswordResetRequest(tx, id))).toBeNull();

    expect(await db.prisma.$transaction((tx) => usePasswordResetToken(tx, "t1", later))).toBeNull();
    const uses = await Promise.all(
      [1, 2, 3].map(() => db.prisma.$transaction((tx) => usePasswordResetToken(tx, "t1", now))),
    );
    expect(uses.filter((u) => u !== null)).toEqual([{ userId }]);
  });

  it("an unknown email's request gets no account", async () => {
    const { id } = await db.prisma.$transaction((tx) =>
      insertPasswordResetRequest(tx, "nobody@db.test", now),
    );
    expect(await db.prisma.$transaction((tx) => claimPasswordResetRequest(tx, id))).toEqual({
      id,
      email: "nobody@db.test",
      userId: null,
    });
  });
});
