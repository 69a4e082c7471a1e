/**
 * The pool's timestamptz parser (client.ts) gives the same instant as pg's own parser for
 * every form PostgreSQL writes, and is what the pool actually uses (both backends).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTimestamptz } from "../src/client.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

const pgParser = pg.types.getTypeParser(1184, "text") as (text: string) => unknown;
const time = (value: unknown) => (value instanceof Date ? value.getTime() : value);

const outputs = [
  "2026-11-28 12:34:56+00",
  "2026-11-28 12:34:56.7+00",
  "2026-11-28 12:34:56.789+00",
  "2026-11-28 12:34:56.789123+00",
  "2026-11-28 12:34:56.999999+00",
  "2026-11-28 12:34:56.5+05:30",
  "1999-12-31 23:59:59.999999-08",
  "1970-01-01 00:00:00+00",
  "9999-12-31 23:59:59.999999+00",
  "0001-01-01 00:00:00+00",
  "0044-03-15 12:00:00+00 BC",
  "12026-01-01 00:00:00+00",
  "1900-01-01 00:00:00+00:09:21",
  "infinity",
  "-infinity",
];

describe("timestamptz parsing", () => {
  it.each(outputs)("%s: the same instant as pg's parser", (text) => {
    const ours = parseTimestamptz(text);
    const theirs = pgParser(text);
    expect(time(ours)).toEqual(time(theirs));
    expect(typeof ours).toBe(typeof theirs);
  });

  describe("on the database", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => db?.close());

    it("the pool reads timestamptz values to the millisecond (with its own parsers)", async () => {
      const { rows } = await db.pool.query<{ a: Date; b: Date; c: Date | null }>(
        `SELECT '2026-11-28 12:34:56.789123+00'::timestamptz AS a,
                '2026-11-28 18:04:56.5+05:30'::timestamptz AS b, NULL::timestamptz AS c`,
      );
      expect(rows[0]!.a.toISOString()).toBe("2026-11-28T12:34:56.789Z");
      expect(rows[0]!.b.toISOString()).toBe("2026-11-28T12:34:56.500Z");
      expect(rows[0]!.c).toBeNull();
    });
  });
});
