/**
 * Leaving cuts access: an organization admin removes a member from a team, sees the key that
 * member created marked "Owner left" (blocked on the proxy), and transfers it to another
 * member, after which it is allowed again.
 */
import { expect, test } from "@playwright/test";
import { leaverKeyName, teams, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

test("an org admin removes a member, sees their key 'Owner left' and transfers it", async ({
  page,
}) => {
  await login(page, users.orgAdmin.email);
  await openTeam(page, teams.acmeOps);
  const keys = page.getByRole("table", { name: /API keys of/ });
  const keyRow = keys.getByRole("row", { name: new RegExp(leaverKeyName) });
  await expect(keyRow).toContainText(users.leaver.email);
  await expect(keyRow.getByText("Allowed")).toBeVisible();
  await expect(keyRow.getByRole("button", { name: `Transfer ${leaverKeyName}` })).toHaveCount(0);

  const members = page.getByRole("table", { name: /Members of/ });
  await members.getByRole("button", { name: `Remove ${users.leaver.name}` }).click();
  const confirm = page.getByRole("dialog", { name: "Remove member" });
  await expect(confirm).toContainText("Owner left");
  await confirm.getByRole("button", { name: "Remove" }).click();
  await expect(members.getByRole("cell", { name: users.leaver.name, exact: true })).toHaveCount(0);

  await expect(keyRow.getByText("Blocked")).toBeVisible();
  await expect(keyRow.getByText("Owner left")).toBeVisible();
  await snap(page, "team-key-owner-left");

  await keyRow.getByRole("button", { name: `Transfer ${leaverKeyName}` }).click();
  const dialog = page.getByRole("dialog", { name: "Transfer API key" });
  await dialog.getByRole("combobox", { name: "New owner" }).click();
  await page.getByRole("option", { name: new RegExp(users.alice.email) }).click();
  await snap(page, "transfer-key-dialog");
  await dialog.getByRole("button", { name: "Transfer key" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(
    page.getByText(`Key ${leaverKeyName} transferred to ${users.alice.email}`),
  ).toBeVisible();

  await expect(keyRow).toContainText(users.alice.email);
  await expect(keyRow.getByText("Allowed")).toBeVisible();
  await expect(keyRow.getByText("Owner left")).toHaveCount(0);
  // The proxy side (owner changed, key unblocked) is done once the key's job is: the page
  // shows the state it loaded, so look again until it says so.
  await expect(async () => {
    await page.reload();
    await expect(keyRow.getByText("In sync")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(
    page.getByRole("region", { name: "Audit trail" }).getByText("team.member.remove").first(),
  ).toBeVisible();
});
