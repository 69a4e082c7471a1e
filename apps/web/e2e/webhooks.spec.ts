/**
 * An organization admin adds a webhook endpoint (the e2e server's loopback receiver), keeps
 * its secret (shown once), sends a test event and sees it delivered in the delivery log.
 */
import { expect, test } from "@playwright/test";
import { orgs, users } from "./fixtures.ts";
import { login } from "./helpers.ts";
import { readWebhookReceiver } from "./webhook-receiver.ts";

const port = Number(process.env.GATEHOUSE_E2E_PORT ?? 4173);

test("an org admin adds an endpoint, sends a test event and sees it delivered", async ({
  page,
}) => {
  await login(page, users.orgAdmin.email);
  await page.goto("/organizations");
  await page.getByRole("link", { name: orgs.acme, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: orgs.acme })).toBeVisible();
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

  const { url } = readWebhookReceiver(port);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog", { name: "Add webhook endpoint" });
  await dialog.getByLabel("URL").fill(url);
  await dialog.getByLabel("Description (optional)").fill("e2e receiver");
  await dialog.getByLabel("test", { exact: true }).check();
  await dialog.getByLabel("budget.threshold", { exact: true }).check();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  const secret = page.getByTestId("webhook-secret");
  await expect(secret).toHaveText(/^whsec_/);
  await page.getByRole("button", { name: /stored it/i }).click();

  const endpoints = page.getByRole("list", { name: "Webhook endpoints" });
  await expect(endpoints.getByText(url)).toBeVisible();
  await endpoints.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByText("Test event queued")).toBeVisible();

  const log = page.getByRole("table", { name: `Delivery log of ${url}` });
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh log" }).click();
    await expect(log.getByRole("cell", { name: "200" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(log.getByText("Delivered")).toBeVisible();
  await expect(log.getByText("test", { exact: true })).toBeVisible();
  expect(readWebhookReceiver(port).ids.some((id) => id.startsWith("test/"))).toBe(true);
});
