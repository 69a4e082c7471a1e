/**
 * teams.list sorted by name: case-insensitive, and the same order on PGlite and
 * on a server whatever its collation. Before, "Alpha-Two" sorted before "alpha-one" on
 * PGlite (C collation: upper case first) and after it on an en_US server. Runs on both
 * backends (vitest projects) with the same expectations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTeams, type TeamListQuery } from "../src/teams/list.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";
import { adminListQuery } from "./list-query.ts";

let db: TestDatabase;
const names = [
  "alpha-one",
  "Alpha-Two",
  "ALPHA-three",
  "beta",
  "Beta",
  "Émile",
  "émile b",
  "zeta",
  "Zed",
  "_under",
  "10 tens",
  "9 nines",
];
// Lower-cased, then compared byte by byte (UTF-8): digits < "_" < letters < "é"; equal
// keys ("beta", "Beta") by id.
const expected = [
  "10 tens",
  "9 nines",
  "_under",
  "alpha-one",
  "ALPHA-three",
  "Alpha-Two",
  "beta",
  "Beta",
  "Zed",
  "zeta",
  "Émile",
  "émile b",
];

beforeAll(async () => {
  db = await createTestDatabase();
  for (const [i, name] of names.entries()) {
    await db.pool.query(`INSERT INTO teams (id, name) VALUES ($1::uuid, $2)`, [
      `00000000-0000-0000-0000-${String(i + 1).padStart(12, "0")}`,
      name,
    ]);
  }
});
afterAll(async () => db?.close());

const query = (over: Partial<TeamListQuery>): TeamListQuery =>
  adminListQuery({ sortBy: "name", sortOrder: "asc", ...over });

describe("sorting teams by name", () => {
  it("ignores case and is the same on every backend (ties broken by id)", async () => {
    const asc = await listTeams(db.pool, query({}));
    expect(asc.rows.map((r) => r.name)).toEqual(expected);
    const desc = await listTeams(db.pool, query({ sortOrder: "desc" }));
    expect(desc.rows.map((r) => r.name)).toEqual([...expected].reverse());
  });

  it("pages by cursor in the same order, the cursor carrying the sort key", async () => {
    for (const sortOrder of ["asc", "desc"] as const) {
      const all = (await listTeams(db.pool, query({ sortOrder }))).rows.map((r) => r.id);
      const walked: string[] = [];
      let after: TeamListQuery["after"] = null;
      for (;;) {
        const page = await listTeams(db.pool, query({ sortOrder, pageSize: 5, after }));
        walked.push(...page.rows.map((r) => r.id));
        if (!page.hasMore) break;
        after = { value: page.lastSortValue!, id: page.rows.at(-1)!.id };
        // The key is the lower-cased name, not the name as written.
        expect(after.value).toBe(after.value.toLowerCase());
      }
      expect(walked).toEqual(all);
    }
  });
});
