/**
 * `pnpm --filter @gatehouse/db generate-data --teams 100000 [--password-hash <hash>] [--force]
 *   [--now <ISO date>] [--vacuum]`
 *
 * Fills DATABASE_URL (or the embedded database when it is unset) with benchmark data and
 * prints one JSON line: row counts, timings per step and logins. Progress goes to stderr.
 * Refuses a database that already has teams or users unless --force, which empties it.
 * Without --password-hash nobody can log in (the stored hash matches no password).
 */
import { parseArgs } from "node:util";
import { DatabaseConfigError } from "../errors.ts";
import { DatabaseNotEmptyError, generateData } from "../data/generate.ts";
import { openDatabase, redactUrl } from "../open.ts";
import { loadDbCliConfig } from "./config.ts";

const usage =
  "usage: generate-data --teams <n> [--password-hash <hash>] [--force] [--now <ISO date>] [--vacuum]";

/** Not a valid PHC string: every verifier rejects it, so generated users cannot log in. */
const LOCKED_PASSWORD_HASH = "!locked:generate-data-without-password-hash";

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: {
      teams: { type: "string" },
      "password-hash": { type: "string" },
      force: { type: "boolean", default: false },
      now: { type: "string" },
      vacuum: { type: "boolean", default: false },
    },
  });
  const teams = Number(values.teams);
  const now = values.now ? new Date(values.now) : new Date();
  if (!Number.isInteger(teams) || teams < 1 || Number.isNaN(now.getTime())) {
    console.error(usage);
    process.exit(2);
  }

  const wallStart = performance.now();
  // Two connections: the load runs on one; the pool is not used concurrently.
  const { databaseUrl, dataDir } = loadDbCliConfig();
  const db = await openDatabase({
    url: databaseUrl,
    dataDir,
    poolMax: 2,
    applicationName: "gatehouse-generate-data",
  });
  try {
    const result = await generateData(db.pool, {
      teams,
      passwordHash: values["password-hash"] ?? LOCKED_PASSWORD_HASH,
      now,
      replace: values.force,
      finish: values.vacuum ? "vacuum-analyze" : "analyze",
      onStep: (step, ms) => console.error(`generate-data: ${step} ${ms} ms`),
    });
    console.log(
      JSON.stringify({
        database: db.embedded ? "embedded" : redactUrl(db.url),
        teams,
        now: now.toISOString(),
        wallMs: Math.round(performance.now() - wallStart),
        ...result,
        passwordHash: values["password-hash"] ? "as given" : "none: logins disabled",
      }),
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof DatabaseNotEmptyError || error instanceof DatabaseConfigError) {
    console.error(`generate-data: ${error.message}`);
  } else {
    console.error("generate-data: unexpected error", error);
  }
  process.exit(1);
});
