/**
 * Spend in the browser: the team page shows what its proxy reported (one spend sync ran in
 * e2e/server.ts): the budget bar coloured by the share used, the reset date, and the daily
 * spend chart (a lazily loaded chunk); the teams table has a spend column sortable by spend;
 * the organization page shows its teams' total.
 */
import { expect, test } from "@playwright/test";
import { orgs, spendTeam, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

test("the team page shows the budget bar and the daily spend chart", async ({ page }) => {
  await login(page, users.admin.email);
  await openTeam(page, spendTeam);
  const panel = page.getByTestId("team-spend");
  await expect(panel.getByTestId("spend-total")).toHaveText("$40.00");
  await expect(panel).toContainText("of $50.00");
  const bar = panel.getByRole("meter", { name: "Budget used" });
  await expect(bar).toHaveAttribute("data-level", "warning");
  await expect(bar).toHaveAttribute("aria-valuetext", /\$40\.00 of \$50\.00/);
  await expect(panel).toContainText(/Budget resets/);
  await expect(panel).toContainText(/As of/);

  const chart = panel.getByTestId("spend-chart");
  await expect(chart).toBeVisible();
  await expect(chart.getByRole("img")).toHaveAttribute(
    "aria-label",
    /Daily spend, last 30 days: \$40\.00 in total/,
  );
  // Four days with readings (three earlier points and today's sync): four bars.
  await expect(chart.locator("rect[data-day]")).toHaveCount(4);
  await snap(page, "team-spend");

  // The teams table: a spend column, and the highest spender first when sorted by it.
  await page.goto("/teams?sort=spend&order=desc");
  const table = page.getByRole("table").first();
  await expect(table.getByRole("columnheader", { name: /Spend/ })).toBeVisible();
  await expect(table.getByRole("row").nth(1)).toContainText(spendTeam);
  await expect(table.getByRole("row").nth(1)).toContainText("$40.00");

  // The organization page: its teams' total.
  await page.goto("/organizations");
  await page.getByRole("link", { name: orgs.acme, exact: true }).first().click();
  await expect(page.getByTestId("org-spend")).toContainText("$40.00");
});
