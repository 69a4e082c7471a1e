/**
 * teams.list totals: an exact total is counted on every request, a capped one
 * ("more than the cap") is held for CAPPED_TOTAL_TTL_MS per count statement and parameters,
 * and the expired filter, whose cutoff moves with the clock, is held too. Both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTeams, type TeamListQuery } from "../src/teams/list.ts";
import { CAPPED_TOTAL_TTL_MS } from "../src/teams/list-totals.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";
import { adminListQuery } from "./list-query.ts";

let db: TestDatabase;
const CAP = 3;
const longAgo = new Date("2020-01-01T00:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  // Five expired teams (created long ago, never paid) and one team of another name.
  for (let i = 0; i < 5; i++) {
    await db.pool.query(`INSERT INTO teams (name, created_at) VALUES ($1, $2)`, [
      `expired ${i}`,
      longAgo,
    ]);
  }
  await db.pool.query(`INSERT INTO teams (name) VALUES ('fresh')`);
});
afterAll(async () => db?.close());

const query = (over: Partial<TeamListQuery>): TeamListQuery =>
  adminListQuery({ pageSize: 10, totalCap: CAP, ...over });

describe("teams.list totals", () => {
  it("holds a capped total, also for the expired filter as the clock moves", async () => {
    // At the start of a TTL window, so `now` and a millisecond later share it.
    const now = new Date(Math.floor(Date.now() / CAPPED_TOTAL_TTL_MS) * CAPPED_TOTAL_TTL_MS + 100);
    const first = await listTeams(db.pool, query({ filters: { expired: true }, now }));
    expect(first.totalCapped).toBe(true);
    expect(first.rows).toHaveLength(5);

    // Three expired teams go away: the page shows it at once, the capped total is held.
    await db.pool.query(`DELETE FROM teams WHERE name IN ('expired 0', 'expired 1', 'expired 2')`);
    const later = new Date(now.getTime() + 1);
    const second = await listTeams(db.pool, query({ filters: { expired: true }, now: later }));
    expect(second.rows).toHaveLength(2);
    expect(second.totalCapped).toBe(true);
  });

  it("counts an exact total on every request", async () => {
    const first = await listTeams(db.pool, query({ filters: { name: "fresh" } }));
    expect(first).toMatchObject({ total: 1, totalCapped: false });
    await db.pool.query(`INSERT INTO teams (name) VALUES ('fresh two')`);
    const second = await listTeams(db.pool, query({ filters: { name: "fresh" } }));
    expect(second).toMatchObject({ total: 2, totalCapped: false });
  });

  it("counts once for requests that need the same count at the same time", async () => {
    for (let i = 0; i < 5; i++) {
      await db.pool.query(`INSERT INTO teams (name) VALUES ($1)`, [`many ${i}`]);
    }
    const pool = db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
    const send = pool.query.bind(db.pool);
    let counts = 0;
    pool.query = (...args: unknown[]) => {
      const config = (args[0] as { text?: string } | string | undefined) ?? "";
      const text = typeof config === "string" ? config : (config.text ?? "");
      // The count alone, or a first page carrying it (one statement).
      if (text.includes("SELECT count(*)::int AS n")) counts++;
      return send(...args);
    };
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => listTeams(db.pool, query({ filters: { name: "many" } }))),
      );
      expect(answers.every((a) => a.totalCapped && a.rows.length === 5)).toBe(true);
      expect(counts).toBe(1);
    } finally {
      delete (pool as { query?: unknown }).query;
    }
  });
});
