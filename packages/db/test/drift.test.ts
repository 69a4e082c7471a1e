/**
 * schema.prisma and prisma/migrations must describe the same database. Prisma's own
 * differ decides: `prisma migrate diff --from-schema-datamodel prisma/schema.prisma
 * --to-migrations prisma/migrations --exit-code` replays every migration into a fresh
 * shadow database, introspects it and compares it with the schema (exit 0: identical;
 * 2: drift, with a summary on stdout).
 *
 * Why this form, in this Prisma setup (6.19 CLI, WASM engine through the pg adapter):
 * - `--from-url` / `--from-schema-datasource` (diffing a migrated database) are refused
 *   when prisma.config.ts defines an adapter, and `--shadow-database-url` as well; the
 *   adapter creates and drops the shadow database itself (prisma.config.ts makes that,
 *   and reading PostgreSQL's "char" catalog columns, work).
 * - Direction "schema -> migrations": the engine never emits DROP EXTENSION, so the
 *   extension list is compared separately below. The opposite direction reports
 *   `pg_trgm` as "added" forever, because the replayed migrations are described without
 *   the schema's `postgresqlExtensions` preview feature.
 * - What Prisma cannot express (the service-token CHECK, the audit trigger) is invisible
 *   to its differ, so the hand-written part of a migration never counts as drift.
 *
 * On PGlite the shadow is the scratch database itself (the socket server has one database),
 * so every CLI run gets a new, empty one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  migrationsPath,
  runPrismaCli,
  schemaPath,
  type PrismaCliResult,
} from "../src/prisma-cli.ts";
import { createTestDatabase, testBackend, type TestDatabase } from "../src/testing/index.ts";

const opened: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
});

async function diffAgainstMigrations(schema: string): Promise<PrismaCliResult> {
  const scratch = await createTestDatabase({ migrate: false, poolMax: 1 });
  opened.push(scratch);
  const result = await runPrismaCli(
    [
      "migrate",
      "diff",
      "--from-schema-datamodel",
      schema,
      "--to-migrations",
      migrationsPath,
      "--exit-code",
    ],
    { databaseUrl: scratch.url },
  );
  if (result.code === 1)
    throw new Error(`prisma migrate diff failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

// Each CLI run takes 2-10 s (Node start, WASM engine, replaying the migrations; PGlite
// serves the CLI from this test process, and slows down a lot on a busy machine).
describe("schema.prisma and the migrations", { timeout: 120_000 }, () => {
  it("describe the same tables, columns, enums, indexes and foreign keys", async () => {
    const result = await diffAgainstMigrations(schemaPath);
    expect(
      result.code,
      `schema.prisma and prisma/migrations drifted apart (run \`pnpm --filter @gatehouse/db migration:create <name>\`):\n${result.stdout}`,
    ).toBe(0);
  });

  it("agree on extensions: the migrations create every extension the datasource declares", async () => {
    const schema = fs.readFileSync(schemaPath, "utf8");
    const list = /extensions\s*=\s*\[([^\]]*)\]/.exec(schema)?.[1] ?? "";
    const declared = list
      .split(",")
      .map((entry) =>
        entry
          .trim()
          .replace(/\(.*\)$/, "")
          .replace(/^"|"$/g, ""),
      )
      .filter(Boolean);
    expect(declared).toContain("pg_trgm");

    const migrated = await createTestDatabase({ poolMax: 1 });
    opened.push(migrated);
    const { rows } = await migrated.pool.query<{ extname: string }>(
      "SELECT extname FROM pg_extension",
    );
    expect(rows.map((r) => r.extname)).toEqual(expect.arrayContaining(declared));
  });

  // This checks the differ, not the database: once is enough, on the server when there is one.
  const checkOnce = testBackend() === "postgres" || !process.env.GATEHOUSE_TEST_PG_URL;
  it.runIf(checkOnce)(
    "the check notices drift (a column and an index only in the schema)",
    async () => {
      const schema = fs.readFileSync(schemaPath, "utf8");
      const drifted = schema.replace(
        /(model Team \{\n)/,
        `$1  driftProbe     String?   @map("drift_probe")\n  @@index([alwaysFree], map: "teams_drift_probe_idx")\n`,
      );
      expect(drifted).not.toBe(schema);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-drift-"));
      try {
        const file = path.join(dir, "schema.prisma");
        fs.writeFileSync(file, drifted);
        const result = await diffAgainstMigrations(file);
        expect(result.code).toBe(2);
        expect(result.stdout).toMatch(/teams/);
        expect(result.stdout).toMatch(/drift_probe/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
