/**
 * Notifications in the browser, from a real signal: the e2e server's spend sync found the
 * spend team at $40 of its $50 budget (e2e/server.ts seedSpend), the alert evaluation raised
 * its 50 % and 75 % events, and the worker dispatched them. The team's admin sees them under
 * the bell (by keyboard: Enter opens, Escape closes and gives focus back), marks them all
 * read, and finds them on /notifications.
 */
import { expect, test } from "@playwright/test";
import { spendTeam, users } from "./fixtures.ts";
import { expectAccessible, login, snap } from "./helpers.ts";

test("a team admin sees the budget notification under the bell", async ({ page }) => {
  await login(page, users.spendAdmin.email);
  const bell = page.getByRole("button", { name: /^Notifications, \d+ unread$/ });
  // The server dispatched the events before it reported ready; should a dispatch still be
  // running when the page first asks, the next load shows it.
  await expect(async () => {
    await page.reload();
    await expect(bell).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  await bell.focus();
  await page.keyboard.press("Enter");
  await expect(bell).toHaveAttribute("aria-expanded", "true");
  const panel = page.getByRole("region", { name: "Unread notifications" });
  const alert = panel.getByRole("link", { name: `Team ${spendTeam} reached 75% of its budget` });
  await expect(alert.first()).toBeVisible();
  await expect(panel).toContainText("$40.00 of its $50.00 budget");
  await expectAccessible(page, "notification bell", "header");
  await snap(page, "notification-bell");

  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(bell).toBeFocused();

  await bell.click();
  await panel.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByRole("button", { name: "Notifications, none unread" })).toBeVisible();
  await expect(panel).toContainText("No unread notifications.");

  await panel.getByRole("link", { name: "All notifications" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const list = page.getByRole("list", { name: "Notifications" });
  await expect(
    list.getByRole("link", { name: `Team ${spendTeam} reached 50% of its budget` }).first(),
  ).toBeVisible();
  await page.getByRole("button", { name: "Unread", exact: true }).click();
  await expect(page.getByRole("main").getByText("No unread notifications")).toBeVisible();
});
