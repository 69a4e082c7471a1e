#!/usr/bin/env node
// Browser tests: make sure Chromium is there (Debian's package; Playwright's own browser
// download is not reachable here), build the web app, then run Playwright, which starts
// apps/web/e2e/server.ts. Plain Node with no dependencies, like gatehouse-run.mjs.
// GATEHOUSE_SKIP_E2E=1 skips the run when no browser can be had.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const chromium = process.env.GATEHOUSE_CHROMIUM ?? "/usr/bin/chromium";
const skip = process.env.GATEHOUSE_SKIP_E2E === "1";
const env = { ...process.env, CHECKPOINT_DISABLE: "1", TURBO_TELEMETRY_DISABLED: "1" };

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: root, env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function ensureChromium() {
  if (fs.existsSync(chromium)) return true;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && chromium === "/usr/bin/chromium" && fs.existsSync("/usr/bin/apt-get")) {
    console.log("e2e: Chromium is missing; installing Debian's chromium package…");
    const aptEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
    if (run("apt-get", ["update"], { env: aptEnv }) === 0) {
      run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { env: aptEnv });
    }
  }
  return fs.existsSync(chromium);
}

/** pnpm on PATH if it is version 10, else through npx (same rule as gatehouse-run.mjs). */
function pnpm() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim().startsWith("10.")) return ["pnpm"];
  return ["npx", "--yes", "pnpm@10.34.9"];
}

if (!ensureChromium()) {
  const message = `e2e: no Chromium at ${chromium} and it could not be installed (needs root and apt-get).`;
  if (skip) {
    console.warn(`${message} Skipped because GATEHOUSE_SKIP_E2E=1.`);
    process.exit(0);
  }
  console.error(
    `${message}\nInstall it with \`apt-get install chromium\`, point GATEHOUSE_CHROMIUM at a Chromium binary, or set GATEHOUSE_SKIP_E2E=1.`,
  );
  process.exit(1);
}

const [cmd, ...pre] = pnpm();
const build = run(cmd, [...pre, "--filter", "@gatehouse/web", "build"]);
if (build !== 0) process.exit(build);
const status = run(
  cmd,
  [...pre, "--filter", "@gatehouse/web", "exec", "playwright", "test", ...process.argv.slice(2)],
  {
    env: { ...env, GATEHOUSE_CHROMIUM: chromium },
  },
);
process.exit(status);
