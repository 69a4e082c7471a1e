/**
 * Keys with their own limits in the browser: a team admin creates a key with a budget and
 * an expiry, sees both on the key's detail (with where each limit comes from), and extends
 * the key. (Rotation has its own spec.)
 */
import { expect, test } from "@playwright/test";
import { regionName, teams, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

const dayFromNow = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test("a team admin creates a key with a budget and an expiry and sees them on its detail", async ({
  page,
}) => {
  await login(page, users.bob.email);
  await openTeam(page, teams.globexSearch);

  await page.getByRole("button", { name: "New key", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "New API key" });
  await dialog.getByLabel("Name").fill("budgeted-key");
  await dialog.getByRole("combobox", { name: "Region" }).click();
  await page.getByRole("option", { name: regionName }).click();
  await dialog.getByLabel("Budget (USD)").fill("25");
  await dialog.getByLabel("Budget period").fill("30d");
  await dialog.getByLabel("Requests / minute").fill("60");
  const expires = dayFromNow(20);
  await dialog.getByLabel("Expires on").fill(expires);
  await dialog.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Copy the key now" });
  await expect(reveal.getByTestId("key-secret")).toContainText("sk-");
  await reveal.getByRole("button", { name: "I have stored it" }).click();
  await expect(reveal).toHaveCount(0);

  const keys = page.getByRole("table", { name: /API keys of/ });
  await keys.getByRole("button", { name: "Details of budgeted-key" }).click();
  const detail = page.getByRole("dialog", { name: "Key details" });
  await expect(detail.getByTestId("key-expires")).toHaveText(expires);
  await expect(detail.getByTestId("limit-maxBudgetUsd")).toContainText("$25");
  await expect(detail.getByTestId("limit-maxBudgetUsd")).toContainText("This key");
  await expect(detail.getByTestId("limit-budgetDuration")).toContainText("30d");
  await expect(detail.getByTestId("limit-rpmLimit")).toContainText("60");
  await expect(detail.getByTestId("key-spend")).toContainText("of $25 per 30d");
  await snap(page, "key-detail");

  // Extend: the new expiry is shown.
  const later = dayFromNow(40);
  await detail.getByLabel("New expiry").fill(later);
  await detail.getByRole("button", { name: "Extend" }).click();
  await expect(detail.getByTestId("key-expires")).toHaveText(later);
});
