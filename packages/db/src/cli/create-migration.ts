/**
 * `pnpm --filter @gatehouse/db migration:create <name> [--force]`
 *
 * Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that turns
 * the schema committed at git HEAD into the working copy's prisma/schema.prisma
 * (`prisma migrate diff --from-schema-datamodel <HEAD> --to-schema-datamodel <working>`).
 * `prisma migrate dev` cannot run in this offline setup; this is its replacement.
 *
 * Refuses when the schemas do not differ, and when prisma/migrations already holds
 * migrations not committed yet: they were most likely generated from the same HEAD, so
 * a new diff would repeat them (commit them first, or pass --force).
 *
 * The CLI insists on a reachable database even for a diff of two files: DATABASE_URL
 * when set, else a throwaway in-memory PGlite (never the embedded data folder).
 * Hand-written SQL Prisma cannot express (CHECK constraints, triggers) is appended to the
 * generated file by hand afterwards; the drift test ignores it.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../embedded.ts";
import { loadDbCliConfig } from "./config.ts";
import { migrationsPath, packageDir, runPrismaCli, schemaPath } from "../prisma-cli.ts";

const run = promisify(execFile);
const usage = "usage: migration:create <name> [--force]   (name: letters, digits, _ or -)";

class UsageError extends Error {}

async function git(args: string[]): Promise<string> {
  return (
    await run("git", args, { cwd: packageDir, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 })
  ).stdout;
}

/** The schema as committed at HEAD, or null when HEAD has none (a first migration). */
async function headSchema(): Promise<string | null> {
  const top = (await git(["rev-parse", "--show-toplevel"])).trim();
  const relative = path.relative(top, schemaPath).split(path.sep).join("/");
  try {
    return await git(["show", `HEAD:${relative}`]);
  } catch {
    return null;
  }
}

/** Migration folders that git does not know at HEAD (new, untracked or staged only). */
async function uncommittedMigrations(): Promise<string[]> {
  const committed = new Set(
    (await git(["ls-tree", "--name-only", "HEAD", `${path.relative(packageDir, migrationsPath)}/`]))
      .split("\n")
      .map((line) => path.basename(line.trim()))
      .filter(Boolean),
  );
  return fs
    .readdirSync(migrationsPath, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !committed.has(entry.name))
    .map((entry) => entry.name);
}

/** Prisma's folder prefix (YYYYMMDDHHMMSS, UTC), kept after the newest existing one so the
 * runner, which applies folders in name order, never sees it out of order. */
function nextTimestamp(now: Date): string {
  const format = (d: Date) => d.toISOString().replace(/\D/g, "").slice(0, 14);
  const latest = fs
    .readdirSync(migrationsPath)
    .map((name) => /^(\d{14})_/.exec(name)?.[1])
    .filter((prefix): prefix is string => prefix !== undefined)
    .sort()
    .at(-1);
  const candidate = format(now);
  if (!latest || candidate > latest) return candidate;
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(latest)!;
  return format(new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s! + 1)));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: { force: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const name = positionals[0]
    ?.trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if (!name || positionals.length > 1 || !/^[a-z0-9_]+$/.test(name)) throw new UsageError(usage);

  const pending = await uncommittedMigrations();
  if (pending.length > 0 && !values.force) {
    throw new UsageError(
      `prisma/migrations has migrations not committed yet (${pending.join(", ")}); a diff against HEAD would repeat them. Commit them first, or pass --force.`,
    );
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-migration-"));
  let embedded: EmbeddedPostgres | undefined;
  try {
    const old = await headSchema();
    const from =
      old === null
        ? ["--from-empty"]
        : ["--from-schema-datamodel", path.join(tmp, "schema.prisma")];
    if (old !== null) fs.writeFileSync(from[1]!, old);

    let databaseUrl = loadDbCliConfig().databaseUrl;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ maxConnections: 4 });
      databaseUrl = embedded.url;
    }
    const result = await runPrismaCli(
      ["migrate", "diff", ...from, "--to-schema-datamodel", schemaPath, "--script", "--exit-code"],
      { databaseUrl },
    );
    if (result.code === 0) {
      throw new UsageError(
        "prisma/schema.prisma does not differ from HEAD: no migration to create",
      );
    }
    if (result.code !== 2) {
      throw new Error(
        `prisma migrate diff failed (exit ${result.code}):\n${result.stdout}${result.stderr}`,
      );
    }

    const folder = `${nextTimestamp(new Date())}_${name}`;
    const file = path.join(migrationsPath, folder, "migration.sql");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, result.stdout.endsWith("\n") ? result.stdout : `${result.stdout}\n`);
    console.log(`created ${path.relative(process.cwd(), file)}\n\n${result.stdout.trim()}`);
  } finally {
    await embedded?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`migration:create: ${error instanceof UsageError ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
