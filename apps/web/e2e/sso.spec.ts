/**
 * Single sign-on through the local OpenID provider (e2e/server.ts configures it as Acme's
 * identity provider): a newcomer signs in from the login page, passes the IdP's own sign-in
 * page, and lands in Gatehouse with the team their group maps to.
 */
import { expect, test } from "@playwright/test";
import { sso, users } from "./fixtures.ts";
import { expectAccessible, login, snap } from "./helpers.ts";

test("a person signs in through the local IdP and sees their teams", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with single sign-on" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Sign in with single sign-on" }),
  ).toBeVisible();
  await expectAccessible(page, "the login page in single sign-on mode");
  await page.getByLabel("Work email").fill(sso.person.email);
  await page.getByRole("button", { name: "Continue", exact: true }).click();

  // The identity provider's own page (another origin: the IdP's port).
  await expect(
    page.getByRole("heading", { name: "Sign in to the local identity provider" }),
  ).toBeVisible();
  await page.getByLabel("Email").fill(sso.person.email);
  await page.getByLabel("Password").fill("not her password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
  await expectAccessible(page, "the local IdP's sign-in page with its error");
  await page.getByLabel("Password").fill(sso.person.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back in Gatehouse, signed in as the account made at this first sign-in.
  await expect(page).toHaveURL(/\/teams/);
  await page.getByRole("button", { name: "Account menu" }).click();
  await expect(page.getByRole("menu")).toContainText(sso.person.name);
  await page.keyboard.press("Escape");
  const table = page.getByRole("table", { name: "Teams" });
  await expect(table.getByRole("link", { name: sso.team, exact: true })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(2);
  await snap(page, "sso-newcomer-teams");
});

test("an email without a provider comes back with a readable message", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with single sign-on" }).click();
  await page.getByLabel("Work email").fill("someone@no-provider.e2e.test");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?.*sso_error=/);
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByRole("alert")).not.toContainText("sso_error");
  await expectAccessible(page, "the login page with a single sign-on error");
});

test("an org admin edits Acme's identity provider and its group rules", async ({ page }) => {
  await login(page, users.orgAdmin.email);
  await page
    .getByRole("navigation", { name: "Main" })
    .first()
    .getByRole("link", { name: "Identity providers" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Identity providers" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Redirect URI", exact: true })).toHaveValue(
    /\/auth\/sso\/callback$/,
  );

  // Edit without a new secret: the secret box starts empty and the stored one stays.
  await page.getByRole("button", { name: `Edit ${sso.domain}`, exact: true }).click();
  const edit = page.getByRole("dialog", { name: `Edit ${sso.domain}` });
  await expect(edit.getByLabel("Replace client secret")).toHaveValue("");
  await edit.getByRole("button", { name: "Save identity provider" }).click();
  await expect(page.getByText(`Identity provider ${sso.domain} saved`)).toBeVisible();
  await expect(edit).toHaveCount(0);

  // The rules as they are, saved again: nothing changes, and the list still says one rule.
  await page.getByRole("button", { name: `1 rule of ${sso.domain}`, exact: true }).click();
  const rules = page.getByRole("dialog", { name: `Group rules of ${sso.domain}` });
  await expect(rules.getByLabel("Group")).toHaveValue(sso.group);
  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText(`Group rules of ${sso.domain} saved`)).toBeVisible();
  await expect(
    page.getByRole("button", { name: `1 rule of ${sso.domain}`, exact: true }),
  ).toBeVisible();
});
