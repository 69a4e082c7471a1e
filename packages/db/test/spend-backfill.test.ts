/**
 * The first reading's history: which teams have no reading on a region yet, and rebuilt
 * daily points filed only where no point exists. Both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfillTeamSpendDays, teamsWithoutSpendReading } from "../src/spend/backfill.ts";
import { writeTeamSpendPage } from "../src/spend/write.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let regionId: string;
let otherRegionId: string;
let fresh: string;
let known: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const region = (name: string) =>
    db.prisma.region.create({
      data: { name, litellmBaseUrl: "http://127.0.0.1:1", litellmMasterKey: "sk-x" },
    });
  regionId = (await region("eu")).id;
  otherRegionId = (await region("us")).id;
  fresh = (await db.prisma.team.create({ data: { name: "fresh" } })).id;
  known = (await db.prisma.team.create({ data: { name: "known" } })).id;
});
afterAll(async () => db?.close());

const at = new Date("2026-12-06T10:00:00Z");

describe("spend backfill", () => {
  it("names the teams without a reading on the region, per region", async () => {
    await writeTeamSpendPage(
      db,
      regionId,
      [
        {
          teamId: known,
          spendUsd: 5,
          maxBudgetUsd: null,
          budgetDuration: null,
          budgetResetAt: null,
        },
      ],
      at,
    );
    const unknownTeam = "00000000-0000-4000-8000-000000000000";
    expect(
      (await teamsWithoutSpendReading(db, regionId, [fresh, known, unknownTeam])).sort(),
    ).toEqual([fresh]);
    expect((await teamsWithoutSpendReading(db, otherRegionId, [fresh, known])).sort()).toEqual(
      [fresh, known].sort(),
    );
    expect(await teamsWithoutSpendReading(db, regionId, [])).toEqual([]);
  });

  it("files points only on days without one, and never touches a reading taken live", async () => {
    // `known` has today's live point (5): a backfilled point for today must not replace it.
    const reset = new Date("2027-01-01T00:00:00Z");
    const added = await backfillTeamSpendDays(
      db,
      regionId,
      [
        { teamId: known, day: "2026-12-04", spendUsd: 1, budgetResetAt: reset },
        { teamId: known, day: "2026-12-05", spendUsd: 3.25, budgetResetAt: reset },
        { teamId: known, day: "2026-12-06", spendUsd: 99, budgetResetAt: reset },
      ],
      at,
    );
    expect(added).toBe(2);
    const again = await backfillTeamSpendDays(
      db,
      regionId,
      [{ teamId: known, day: "2026-12-05", spendUsd: 7, budgetResetAt: null }],
      at,
    );
    expect(again).toBe(0);
    const { rows } = await db.pool.query<{ day: string; spend: string; reset: Date | null }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, spend_usd::text AS spend, budget_reset_at AS reset
         FROM team_spend_daily WHERE team_id = $1::uuid AND region_id = $2::uuid ORDER BY day`,
      [known, regionId],
    );
    expect(rows.map((r) => [r.day, Number(r.spend), r.reset?.toISOString() ?? null])).toEqual([
      ["2026-12-04", 1, reset.toISOString()],
      ["2026-12-05", 3.25, reset.toISOString()],
      ["2026-12-06", 5, null],
    ]);
    expect(await backfillTeamSpendDays(db, regionId, [], at)).toBe(0);
  });
});
