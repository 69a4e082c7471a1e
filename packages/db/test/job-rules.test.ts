/**
 * The rules set-based SQL applies for core: a team's LiteLLM id (core litellmTeamId, whose
 * SQL form litellmTeamIdSql is what enqueueForEach and the expiry sweep write into job
 * payloads) must be the same string in both forms, for every region name.
 */
import { litellmTeamId, litellmTeamIdSql } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueForEach } from "../src/jobs/index.ts";
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
