/**
 * Browser tests against the built SPA served by a real API on a fresh database
 * (see e2e/server.ts). Chromium comes from Debian (/usr/bin/chromium): Playwright's own
 * browser download is not reachable here. Run through scripts/e2e.mjs, which builds first.
 */
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.GATEHOUSE_E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  // One API + one embedded database: specs share fixtures, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  outputDir: "test-results/artifacts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.GATEHOUSE_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } },
    },
  ],
  webServer: {
    command: "tsx e2e/server.ts",
    url: `${baseURL}/healthz`,
    // /healthz answers before the fixtures are seeded; this line comes after.
    wait: { stdout: /e2e: Gatehouse ready/ },
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: { GATEHOUSE_E2E_PORT: String(port) },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
