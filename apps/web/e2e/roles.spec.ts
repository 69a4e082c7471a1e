/** Role-aware access: an org admin sees only their organization; a member no admin screen. */
import { expect, test } from "@playwright/test";
import { acmeTeams, teams, users } from "./fixtures.ts";
import { login, snap } from "./helpers.ts";

test("an org admin sees only their organization's teams", async ({ page }) => {
  await login(page, users.orgAdmin.email);
  const table = page.getByRole("table", { name: "Teams" });
  await expect(table.getByRole("row")).toHaveCount(acmeTeams.length + 1);
  for (const name of acmeTeams)
    await expect(table.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(table.getByText(teams.globexSearch)).toHaveCount(0);
  await expect(table.getByText(teams.internal)).toHaveCount(0);

  const nav = page.getByRole("navigation", { name: "Main" }).first();
  await expect(nav.getByRole("link", { name: "Organizations" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await snap(page, "teams-org-admin");

  // Filtering by the other organization is refused by the API, and not offered here.
  await page.getByLabel("Organization").click();
  await expect(page.getByRole("option", { name: /Globex/ })).toHaveCount(0);
  await page.keyboard.press("Escape");

  await page.goto("/users");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});

test("a member cannot see admin screens", async ({ page }) => {
  await login(page, users.member.email);
  const nav = page.getByRole("navigation", { name: "Main" }).first();
  await expect(nav.getByRole("link", { name: "Teams" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Sessions" })).toBeVisible();
  for (const label of [
    "Organizations",
    "Users",
    "Products",
    "Regions",
    "Audit log",
    "Service tokens",
  ]) {
    await expect(nav.getByRole("link", { name: label })).toHaveCount(0);
  }
  await expect(
    page.getByRole("table", { name: "Teams" }).getByRole("link", { name: teams.acmePlatform }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Merge teams" })).toHaveCount(0);

  await page.goto("/users");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await snap(page, "member-not-allowed");

  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();

  // A team the member is not in: the API says 403, the page says so.
  await page.goto("/teams");
  await page
    .getByRole("table", { name: "Teams" })
    .getByRole("link", { name: teams.acmePlatform })
    .click();
  await expect(page.getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New key" })).toHaveCount(0);
});
