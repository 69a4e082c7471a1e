/**
 * Rotation that keeps clients working: a team admin creates a key, rotates it with an
 * overlap, copies the new secret (shown once), and sees the previous secret "retiring"
 * until the overlap ends, next to the new one.
 */
import { expect, test } from "@playwright/test";
import { teams, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("a team admin rotates a key, copies the new secret and sees the old one retiring", async ({
  page,
}) => {
  await login(page, users.bob.email);
  await openTeam(page, teams.globexSearch);
  const keyName = "rotate-me";

  await page.getByRole("button", { name: "New key" }).click();
  const create = page.getByRole("dialog", { name: "New API key" });
  await create.getByLabel("Name").fill(keyName);
  await create.getByRole("combobox", { name: "Region" }).click();
  await page.getByRole("option").first().click();
  await create.getByRole("button", { name: "Create key" }).click();
  // The dialog is named by its heading, which becomes the reveal's once the key exists.
  const created = page.getByRole("dialog", { name: "Copy the key now" });
  const first = (await created.getByTestId("key-secret").textContent())!.trim();
  await created.getByRole("button", { name: "I have stored it" }).click();

  const keys = page.getByRole("table", { name: /API keys of/ });
  const row = keys.getByRole("row", { name: new RegExp(keyName) });
  await row.getByRole("button", { name: `Rotate ${keyName}` }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate API key" });
  await dialog.getByLabel("Overlap (hours)").fill("48");
  await snap(page, "rotate-key-dialog");
  await dialog.getByRole("button", { name: "Rotate key" }).click();

  const revealed = page.getByRole("dialog", { name: "Copy the new secret now" });
  const secret = revealed.getByTestId("rotated-key-secret");
  await expect(secret).toHaveText(/^sk-/);
  const rotated = (await secret.textContent())!.trim();
  expect(rotated).not.toBe(first);
  await expect(revealed).toContainText("The previous secret keeps working until");
  await revealed.getByRole("button", { name: "Copy new secret" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(rotated);
  await revealed.getByRole("button", { name: "I have stored it" }).click();
  await expect(revealed).toHaveCount(0);

  // The key shows its new prefix and the previous one retiring until the overlap ends.
  await expect(row).toContainText(rotated.slice(0, 10));
  await expect(row.getByTestId("retiring-secret")).toContainText(
    new RegExp(`${first.slice(0, 10)}.* retiring until`),
  );
  await snap(page, "team-key-retiring");
});
