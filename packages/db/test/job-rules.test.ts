/**
 * The rules set-based SQL applies for core, which must agree with core's own form:
 * - a team's LiteLLM id (core litellmTeamId, whose SQL form litellmTeamIdSql is what
 *   enqueueForEach and the expiry sweep write into job payloads), for every region name;
 * - the expiry rule (core isTeamExpired at expiryCutoff; the sweep's expiredPredicate).
 */
import {
  expiryCutoff,
  isTeamExpired,
  litellmTeamId,
  litellmTeamIdSql,
  type TeamExpiryFacts,
} from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueForEach } from "../src/jobs/index.ts";
import { expiredPredicate } from "../src/teams/expiry.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const TEAM = "0b6f4c1e-9a57-4c43-8d7e-2f1a5b3c9d10";

describe("litellmTeamIdSql agrees with litellmTeamId", () => {
  it.each([
    "eu-west",
    "US East",
    "a  b",
    " leading and trailing ",
    "Asia Pacific South",
    "tab\there",
    "ünïcode région",
    "under_score",
  ])("region %j", async (region) => {
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT ${litellmTeamIdSql("$1::text", "$2::uuid")} AS id`,
      [region, TEAM],
    );
    expect(rows[0]!.id).toBe(litellmTeamId(region, TEAM));
  });

  it("is what a set-based enqueue writes into the payload", async () => {
    const region = await db.prisma.region.create({
      data: { name: "EU West 2", litellmBaseUrl: "http://127.0.0.1:1", litellmMasterKey: "sk-x" },
    });
    const team = await db.prisma.team.create({ data: { name: "rules" } });
    const queued = await db.prisma.$transaction((tx) =>
      enqueueForEach(tx, "litellm.pushEntitlement", { teamIds: [team.id], regionId: region.id }),
    );
    expect(queued).toBe(1);
    const job = await db.prisma.job.findFirstOrThrow({
      where: { kind: "litellm.pushEntitlement", regionId: region.id },
    });
    expect(job.payload).toEqual({
      teamId: litellmTeamId(region.name, team.id),
      gatehouseTeamId: team.id,
    });
  });
});

describe("the sweep's expiry predicate agrees with isTeamExpired", () => {
  const now = new Date("2026-06-15T12:00:00Z");
  const days = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);
  const cases: Array<[string, TeamExpiryFacts]> = [
    [
      "never paid, new",
      { alwaysFree: false, hasActiveProduct: false, lastPaymentAt: null, createdAt: days(3) },
    ],
    [
      "never paid, old",
      { alwaysFree: false, hasActiveProduct: false, lastPaymentAt: null, createdAt: days(90) },
    ],
    [
      "paid recently",
      { alwaysFree: false, hasActiveProduct: false, lastPaymentAt: days(10), createdAt: days(400) },
    ],
    [
      "paid long ago",
      { alwaysFree: false, hasActiveProduct: false, lastPaymentAt: days(45), createdAt: days(400) },
    ],
    [
      "paid just inside",
      {
        alwaysFree: false,
        hasActiveProduct: false,
        lastPaymentAt: days(29.9),
        createdAt: days(400),
      },
    ],
    [
      "paid just outside",
      {
        alwaysFree: false,
        hasActiveProduct: false,
        lastPaymentAt: days(30.1),
        createdAt: days(400),
      },
    ],
    [
      "always free",
      { alwaysFree: true, hasActiveProduct: false, lastPaymentAt: null, createdAt: days(400) },
    ],
    [
      "active product",
      { alwaysFree: false, hasActiveProduct: true, lastPaymentAt: days(200), createdAt: days(400) },
    ],
  ];

  it.each(cases)("%s", async (name, facts) => {
    const team = await db.prisma.team.create({
      data: {
        name: `expiry ${name}`,
        alwaysFree: facts.alwaysFree,
        lastPaymentAt: facts.lastPaymentAt,
        createdAt: facts.createdAt,
      },
    });
    if (facts.hasActiveProduct) {
      const product = await db.prisma.product.create({ data: { name: `p ${name}` } });
      await db.prisma.teamProduct.create({ data: { teamId: team.id, productId: product.id } });
    }
    const { rows } = await db.pool.query<{ expired: boolean }>(
      `SELECT ${expiredPredicate("$1")} AS expired FROM teams t WHERE t.id = $2::uuid`,
      [expiryCutoff(now, 30), team.id],
    );
    expect(rows[0]!.expired).toBe(isTeamExpired(facts, now, 30));
  });
});
