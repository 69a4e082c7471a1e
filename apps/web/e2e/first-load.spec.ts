/** A visitor without a session is a normal state: the first load logs no error. */
import { expect, test } from "@playwright/test";

test("a visitor's first load goes to login with a quiet console", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));

  await page.goto("/teams");
  await expect(page).toHaveURL(/\/login\?redirect=%2Fteams/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // Before auth.session, `auth.me` answered the visitor with a 401, which the browser logs
  // as "Failed to load resource: the server responded with a status of 401".
  expect(errors).toEqual([]);
});
