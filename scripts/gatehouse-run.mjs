#!/usr/bin/env node
// The README's two commands, runnable on a fresh machine with only Node:
//   npm start  -> install, build (web app + compiled API), start API + worker + web on the embedded DB
//   npm test   -> install, then typecheck, lint and every package's tests
// Plain Node on purpose: it runs before any dependency is installed.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const PNPM_VERSION = "10.34.9";
const command = process.argv[2];

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) process.exit(status);
}

/** pnpm on PATH if it is version 10, else through npx (corepack is unreliable here). */
function pnpm() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim().startsWith("10.")) return ["pnpm"];
  return ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
}

function install(pm) {
  const [cmd, ...pre] = pm;
  must(cmd, [...pre, "install", "--frozen-lockfile", "--prefer-offline"], {
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TURBO_TELEMETRY_DISABLED: "1" },
  });
}

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  TURBO_NO_UPDATE_NOTIFIER: "1",
};
const pm = pnpm();
const [cmd, ...pre] = pm;

switch (command) {
  case "start": {
    install(pm);
    // The compiled build: the web app and the API bundle (apps/api/dist), run by plain node.
    must(
      cmd,
      [
        ...pre,
        "exec",
        "turbo",
        "run",
        "build",
        "--filter=@gatehouse/api",
        "--filter=@gatehouse/web",
        "--output-logs=errors-only",
      ],
      { env },
    );
    const child = spawn(
      process.execPath,
      // A larger young generation: a request allocates a lot that dies young, and the
      // default semi-space made the API scavenge every few requests (listings under load:
      // about 15-20 % more per second with 32 MB; docs/benchmarks.md).
      [
        "--enable-source-maps",
        "--max-semi-space-size=32",
        path.join(root, "apps/api/dist/main.js"),
      ],
      {
        stdio: "inherit",
        cwd: path.join(root, "apps/api"),
        env: {
          ...env,
          GATEHOUSE_WEB_DIST: env.GATEHOUSE_WEB_DIST ?? path.join(root, "apps/web/dist"),
        },
      },
    );
    for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
    child.on("exit", (code) => process.exit(code ?? 0));
    break;
  }
  case "test": {
    install(pm);
    const started = Date.now();
    // Tasks share 2 cores and each database test file starts its own PGlite; two at once
    // keeps the machine busy without starving the embedded servers.
    must(
      cmd,
      [
        ...pre,
        "exec",
        "turbo",
        "run",
        "typecheck",
        "lint",
        "test",
        "--concurrency=2",
        "--output-logs=errors-only",
      ],
      { env },
    );
    must(cmd, [...pre, "exec", "sherif"], { env });
    // The format check (pnpm lint runs it too): one style, checked, never argued in review.
    must(cmd, [...pre, "exec", "prettier", "--check", "--log-level=warn", "."], { env });
    if (fs.existsSync(path.join(root, "apps/web/e2e")) && env.GATEHOUSE_SKIP_E2E !== "1") {
      must(process.execPath, [path.join(root, "scripts/e2e.mjs")], { env });
    }
    console.log(`\nAll checks passed in ${Math.round((Date.now() - started) / 1000)} s.`);
    break;
  }
  default:
    console.error("usage: node scripts/gatehouse-run.mjs <start|test>");
    process.exit(2);
}
