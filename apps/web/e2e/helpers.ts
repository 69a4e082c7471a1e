/** Shared steps for the browser specs. */
import fs from "node:fs";
import path from "node:path";
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

/** Full-page screenshot of the current screen for people to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  // Wait for loading states to resolve: the SPA navigates without new load events, so
  // "networkidle" alone would not wait for its queries.
  await expect(page.locator('[aria-busy="true"], [data-testid="skeleton-row"]')).toHaveCount(0);
  await page.waitForLoadState("networkidle");
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
