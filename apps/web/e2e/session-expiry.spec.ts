/** A session that ends on the server sends the person to login, and back afterwards. */
import { expect, request, test } from "@playwright/test";
import { PASSWORD, teams, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

test("session expiry sends you to login and back", async ({ page, baseURL }) => {
  await login(page, users.expiring.email);
  await openTeam(page, teams.acmeData);
  // Let the team page finish its own requests (its lazily loaded spend chart asks for the
  // history after the heading shows): the 401 under test must come from the click below, not
  // from a late request of this page.
  await page.waitForLoadState("networkidle");
  const teamPath = new URL(page.url()).pathname;

  // Which session is this? Then end it from another device (an admin), as an operator would.
  const me = await page.request.get("/trpc/auth.me");
  const sessionId = ((await me.json()) as { result: { data: { session: { id: string } } } }).result
    .data.session.id;
  const admin = await request.newContext({
    baseURL: baseURL!,
    extraHTTPHeaders: { "x-gatehouse-csrf": "1" },
  });
  expect(
    (
      await admin.post("/trpc/auth.login", {
        data: { email: users.admin.email, password: PASSWORD },
      })
    ).ok(),
  ).toBe(true);
  expect((await admin.post("/trpc/sessions.revoke", { data: { sessionId } })).ok()).toBe(true);
  await admin.dispose();

  // The next request of the app gets a 401: to the login page, remembering where we were.
  await page
    .getByRole("navigation", { name: "Main" })
    .first()
    .getByRole("link", { name: "Sessions" })
    .click();
  await expect(page).toHaveURL(/\/login\?redirect=%2Fsessions/);
  await expect(page.getByText(/your session has ended/i)).toBeVisible();
  await snap(page, "login-after-expiry");

  await login(page, users.expiring.email, { expectPath: /\/sessions$/ });
  await expect(page.getByRole("heading", { name: "Your sessions" })).toBeVisible();

  // A reload after expiry comes back to the same page too.
  await page.goto(teamPath);
  await expect(
    page.getByRole("heading", { level: 1, name: new RegExp(teams.acmeData) }),
  ).toBeVisible();
  await page.context().clearCookies();
  await page.reload();
  await expect(page).toHaveURL(
    new RegExp(
      `/login\\?redirect=${encodeURIComponent(teamPath).replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&")}`,
    ),
  );
  await login(page, users.expiring.email, { expectPath: new RegExp(`${teamPath}$`) });
});
