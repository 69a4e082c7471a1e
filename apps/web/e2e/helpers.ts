/** Shared steps for the browser specs. */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { PASSWORD } from "./fixtures.ts";

export const screenshotDir = path.resolve(import.meta.dirname, "..", "test-results", "screenshots");

/** Signs in through the login form and waits for the signed-in shell. */
export async function login(
  page: Page,
  email: string,
  options: { expectPath?: RegExp } = {},
): Promise<void> {
  if (!page.url().includes("/login")) await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(options.expectPath ?? /\/teams/);
  await expect(page.getByRole("button", { name: "Account menu" })).toBeVisible();
}

/**
 * Waits for loading states to resolve: the SPA navigates without new load events, so
 * "networkidle" alone would not wait for its queries.
 */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"], [data-testid="skeleton-row"]')).toHaveCount(0);
  await page.waitForLoadState("networkidle");
}

/** Full-page screenshot of the current screen for people to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await settled(page);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Opens a team from the teams table through the search box. */
export async function openTeam(page: Page, name: string): Promise<void> {
  await page.goto("/teams");
  await page.getByLabel("Search").fill(name);
  await expect(page).toHaveURL(/q=/);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(name) })).toBeVisible();
}

/** WCAG 2.1 A and AA, the level the product promises. */
const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe-core on the page (or only inside `include`, e.g. an open dialog) and fails on any
 * serious or critical WCAG 2.1 A/AA violation, listing each rule with its offending nodes.
 */
export async function expectAccessible(page: Page, where: string, include?: string): Promise<void> {
  // Legacy mode runs axe in the page itself: the app has no iframes, and the default mode
  // opens a blank page for every run to merge frame results (about a second each). Only
  // violations are collected in detail.
  let builder = new AxeBuilder({ page })
    .setLegacyMode()
    .options({ resultTypes: ["violations"] })
    .withTags(wcagTags);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join("\n"),
    );
  // Soft: one run lists every screen's violations, not only the first screen's.
  expect.soft(serious, `accessibility violations on ${where}`).toEqual([]);
}
