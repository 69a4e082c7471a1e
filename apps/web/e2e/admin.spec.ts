/** A system administrator: finds a team by name, opens it, and sees every admin screen. */
import { expect, test } from "@playwright/test";
import { productNames, teams, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

test("a system admin finds a team by name and opens it", async ({ page }) => {
  await login(page, users.admin.email);
  const table = page.getByRole("table", { name: "Teams" });
  await expect(table.getByRole("row")).toHaveCount(26); // header + 25 rows: more than one page
  await expect(page.getByText(/Page 1 of 2/)).toBeVisible();
  await snap(page, "teams-admin");

  // The expired badge, and the filter for it.
  await page.getByLabel("Status").click();
  await page.getByRole("option", { name: "Expired", exact: true }).click();
  await expect(page).toHaveURL(/expired=true/);
  await page.getByLabel("Search").fill(teams.globexAds);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(
    table.getByRole("row", { name: new RegExp(teams.globexAds) }).getByText("Expired"),
  ).toBeVisible();
  await expect(table.getByText(teams.acmePlatform)).toHaveCount(0);
  await page.goto("/teams");

  await page.getByLabel("Search").fill("acme plat");
  await expect(page).toHaveURL(/q=acme(\+|%20)plat/);
  await expect(table.getByRole("row")).toHaveCount(2);
  const row = table.getByRole("row", { name: new RegExp(teams.acmePlatform) });
  await expect(row).toContainText("Acme");
  await expect(row.getByText(productNames.pro)).toBeVisible();
  await row.getByRole("link", { name: teams.acmePlatform }).click();

  await expect(
    page.getByRole("heading", { level: 1, name: new RegExp(teams.acmePlatform) }),
  ).toBeVisible();
  await expect(
    page
      .getByRole("table", { name: /Members of/ })
      .getByRole("cell", { name: users.alice.name, exact: true }),
  ).toBeVisible();
  await expect(
    page
      .getByRole("table", { name: /API keys of/ })
      .getByText("ci-pipeline")
      .first(),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "Products" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  await expect(page.getByText("team.member.add").first()).toBeVisible();
  await snap(page, "team-admin");

  // The view is bookmarkable: filters and sort survive a reload.
  await page.goto("/teams?sort=name&order=asc&pageSize=10");
  await expect(page.getByRole("table", { name: "Teams" }).getByRole("row").nth(1)).toContainText(
    teams.acmeData,
  );
  await page.reload();
  await expect(page.getByRole("table", { name: "Teams" }).getByRole("row").nth(1)).toContainText(
    teams.acmeData,
  );
});

test("a system admin sees the admin screens", async ({ page }) => {
  await login(page, users.admin.email);
  const nav = page.getByRole("navigation", { name: "Main" }).first();
  for (const label of [
    "Organizations",
    "Users",
    "Products",
    "Regions",
    "Audit log",
    "Service tokens",
    "Sessions",
  ]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }

  await nav.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  await expect(page.getByText(users.member.email)).toBeVisible();
  await snap(page, "users");

  await nav.getByRole("link", { name: "Organizations" }).click();
  await expect(page.getByRole("link", { name: "Acme", exact: true })).toBeVisible();
  await snap(page, "organizations");
  await page.getByRole("link", { name: "Acme", exact: true }).click();
  await expect(
    page.getByRole("table", { name: "Organization members" }).getByText(users.orgAdmin.name),
  ).toBeVisible();
  await snap(page, "organization");

  await nav.getByRole("link", { name: "Products" }).click();
  await expect(page.getByText(productNames.starter)).toBeVisible();
  await snap(page, "products");

  await nav.getByRole("link", { name: "Regions" }).click();
  await expect(page.getByRole("cell", { name: "E2E Local", exact: true })).toBeVisible();
  await snap(page, "regions");

  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByText("key.create").first()).toBeVisible();
  await snap(page, "audit");

  await nav.getByRole("link", { name: "Service tokens" }).click();
  await page.getByRole("button", { name: "New service token" }).click();
  await page.getByLabel("Name").fill("billing-sync");
  await page.getByLabel("Scope").click();
  await page.getByRole("option", { name: "Admin (everything)" }).click();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("service-token-secret")).toContainText("ghst_");
  await snap(page, "service-token-secret");
  await page.getByRole("button", { name: "I have stored it" }).click();
  await expect(
    page
      .getByRole("table", { name: "Service tokens" })
      .getByRole("cell", { name: "billing-sync", exact: true }),
  ).toBeVisible();

  await nav.getByRole("link", { name: "Sessions" }).click();
  await expect(page.getByText("This session")).toBeVisible();
  await snap(page, "sessions");
});

test("the teams table works on a narrow screen", async ({ page }) => {
  await page.setViewportSize({ width: 400, height: 860 });
  await login(page, users.admin.email);
  await expect(page.getByRole("table", { name: "Teams" })).toBeVisible();
  await snap(page, "teams-narrow");
  await openTeam(page, teams.acmePlatform);
  await snap(page, "team-narrow");
});
