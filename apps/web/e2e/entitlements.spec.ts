/**
 * Entitlements in the browser: a system admin edits a product's limits (a field error from the
 * API shown on its input first), attaches the product to a team, sees the entitlement on
 * the team page, blocks the team (banner and badge, the blocked filter, a key row showing
 * the team block), blocks and unblocks one key, unblocks the team and records a payment.
 */
import { expect, test } from "@playwright/test";
import { entitlementsKeyName, productNames, teams, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

test("an admin edits a product's limits, attaches it, blocks and unblocks a team", async ({
  page,
}) => {
  await login(page, users.admin.email);
  await page
    .getByRole("navigation", { name: "Main" })
    .first()
    .getByRole("link", { name: "Products" })
    .click();
  const products = page.getByRole("table", { name: "Products" });
  const starter = products.getByRole("row", { name: new RegExp(productNames.starter) });

  // Edit the limits. A model name the API refuses comes back as limits.models.0: on the input.
  await starter.getByRole("button", { name: `Edit ${productNames.starter}` }).click();
  const dialog = page.getByRole("dialog", { name: `Edit ${productNames.starter}` });
  await dialog.getByLabel("Max keys").fill("3");
  await dialog.getByLabel("Max budget (USD)").fill("50");
  await dialog.getByLabel("Budget resets every", { exact: true }).fill("30 days");
  await dialog.getByRole("button", { name: "Save product" }).click();
  await expect(dialog.getByLabel("Budget resets every", { exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await dialog.getByLabel("Budget resets every", { exact: true }).fill("30d");
  await dialog.getByLabel("Requests per minute", { exact: true }).fill("120");
  await dialog.getByLabel("Tokens per minute", { exact: true }).fill("50000");
  await dialog.getByLabel("Allowed models").fill(`${"m".repeat(201)}, gpt-4o-mini`);
  await dialog.getByRole("button", { name: "Save product" }).click();
  await expect(dialog.getByLabel("Allowed models")).toHaveAttribute("aria-invalid", "true");
  await snap(page, "product-limits-field-error");
  await dialog.getByLabel("Allowed models").fill("gpt-4o, gpt-4o-mini");
  await dialog.getByRole("button", { name: "Save product" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(starter).toContainText("$50.00 per 30 days");
  await expect(starter).toContainText("120 RPM");
  await expect(starter).toContainText("2 models");

  // Deactivate and activate again (products.update isActive).
  await starter.getByRole("button", { name: `Deactivate ${productNames.starter}` }).click();
  await expect(starter.getByText("Inactive")).toBeVisible();
  await starter.getByRole("button", { name: `Activate ${productNames.starter}` }).click();
  await expect(starter.getByText("Active", { exact: true })).toBeVisible();
  await snap(page, "products-limits");

  // Attach it: the entitlement panel names it as the source of the limits.
  await openTeam(page, teams.entitlements);
  const entitlement = page.getByTestId("entitlement");
  await expect(page.getByText(/no active product: the default limits apply/i)).toBeVisible();
  await page.getByRole("combobox", { name: "Product to attach" }).click();
  await page.getByRole("option", { name: productNames.starter }).click();
  await page.getByRole("button", { name: "Attach", exact: true }).click();
  await expect(page.getByTestId("entitlement-maxBudgetUsd")).toHaveText("$50.00 per 30 days");
  await expect(page.getByTestId("entitlement-maxKeys")).toContainText("3 (1 in use)");
  await expect(page.getByTestId("entitlement-rpmLimit")).toHaveText("120");
  await expect(page.getByTestId("entitlement-models")).toHaveText("gpt-4o, gpt-4o-mini");
  await expect(entitlement.getByText(productNames.starter).first()).toBeVisible();
  await expect(page.getByText(/each region's LiteLLM team gets the full budget/i)).toBeVisible();
  await snap(page, "team-entitlement");

  // Block the team with a reason: the banner says why, the badge and the filter show it.
  await page.getByRole("button", { name: "Block team" }).click();
  const blockDialog = page.getByRole("dialog", { name: `Block ${teams.entitlements}` });
  await blockDialog.getByLabel("Reason (optional)").fill("unpaid invoice");
  await blockDialog.getByRole("button", { name: "Block team" }).click();
  const banner = page.getByTestId("team-blocked-banner");
  await expect(banner).toContainText(/blocked by .+ \(system admin\) since .*“unpaid invoice”/i);
  await expect(page.getByRole("heading", { level: 1 }).getByText("Blocked")).toBeVisible();
  const keys = page.getByRole("table", { name: /API keys of/ });
  await expect(keys.getByRole("row", { name: new RegExp(entitlementsKeyName) })).toContainText(
    "Team blocked",
  );
  await expect(
    page.getByRole("region", { name: "Audit trail" }).getByText("team.block").first(),
  ).toBeVisible();
  await snap(page, "team-blocked");

  // Block one key with a reason, and unblock it (keys.block / keys.unblock): the row says
  // who blocked it and why.
  await keys.getByRole("button", { name: `Block ${entitlementsKeyName}` }).click();
  const blockKey = page.getByRole("dialog", { name: "Block API key" });
  await blockKey.getByLabel("Reason (optional)").fill("leaked in a ticket");
  await blockKey.getByRole("button", { name: "Block key" }).click();
  await expect(keys.getByRole("row", { name: new RegExp(entitlementsKeyName) })).toContainText(
    /Blocked by .+ \(system admin\): “leaked in a ticket”/,
  );
  await keys.getByRole("button", { name: `Unblock ${entitlementsKeyName}` }).click();
  await expect(keys.getByRole("button", { name: `Block ${entitlementsKeyName}` })).toBeVisible();

  await page.goto("/teams?blocked=true");
  const table = page.getByRole("table", { name: "Teams" });
  await expect(
    table.getByRole("row", { name: new RegExp(teams.entitlements) }).getByText("Blocked"),
  ).toBeVisible();
  await expect(table.getByText(teams.acmePlatform)).toHaveCount(0);
  await expect(page.getByLabel("Access")).toContainText("Blocked");

  // Unblock: the manual reason was the only one, so the banner goes.
  await openTeam(page, teams.entitlements);
  await page.getByRole("button", { name: "Unblock team" }).click();
  await page
    .getByRole("dialog", { name: "Unblock team" })
    .getByRole("button", { name: "Unblock" })
    .click();
  await expect(page.getByTestId("team-blocked-banner")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Block team" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 }).getByText("Blocked")).toHaveCount(0);

  // Billing (system admins): recording a payment sets lastPaymentAt to now.
  const settings = page.getByRole("region", { name: "Settings" });
  await expect(settings.getByText(/Last payment:/)).toContainText("never");
  await settings.getByRole("button", { name: "Record a payment now" }).click();
  await expect(settings.getByText(/Last payment:/)).not.toContainText("never");
});
