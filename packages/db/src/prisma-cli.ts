/**
 * Runs this package's Prisma CLI (6.19, WASM schema engine through the pg adapter, see
 * prisma.config.ts) for the commands that need it: the drift test and `migration:create`.
 *
 * The CLI connects to DATABASE_URL for every `migrate diff`, even one between two schema
 * files, so callers pass a reachable database. Asynchronous on purpose: when that database
 * is an embedded PGlite served from this very process, a synchronous spawn would block
 * the event loop that has to answer the CLI.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { childEnv } from "./cli/config.ts";

export const packageDir = path.resolve(import.meta.dirname, "..");
export const schemaPath = path.join(packageDir, "prisma", "schema.prisma");
export const migrationsPath = path.join(packageDir, "prisma", "migrations");
const prismaBin = path.join(packageDir, "node_modules", ".bin", "prisma");

export interface PrismaCliResult {
  /** Process exit code; `migrate diff --exit-code` uses 0 = empty, 2 = differences, 1 = error. */
  code: number;
  stdout: string;
  stderr: string;
}

export function runPrismaCli(
  args: string[],
  options: { databaseUrl: string; timeoutMs?: number },
): Promise<PrismaCliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      prismaBin,
      args,
      {
        cwd: packageDir,
        env: childEnv({ DATABASE_URL: options.databaseUrl, CHECKPOINT_DISABLE: "1" }),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          // Not an exit code: the CLI could not start, or was killed by the timeout.
          reject(
            new Error(`prisma ${args.join(" ")}: ${error.message}\n${stderr}`, { cause: error }),
          );
          return;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}
