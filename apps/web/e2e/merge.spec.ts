/** The merge flow: preview with a rename, confirm, and watch the LiteLLM sync finish. */
import { expect, test } from "@playwright/test";
import { teams, users } from "./fixtures.ts";
import { login, openTeam, snap } from "./helpers.ts";

test("an admin merges a team with the rename strategy and watches the sync finish", async ({
  page,
}) => {
  await login(page, users.admin.email);
  await openTeam(page, teams.mergeTarget);
  await page.getByRole("button", { name: "Merge a team into this one" }).click();
  const dialog = page.getByRole("dialog", { name: "Merge teams" });
  await expect(dialog.getByRole("combobox", { name: /target team/i })).toContainText(
    teams.mergeTarget,
  );

  await dialog.getByRole("combobox", { name: /source team/i }).click();
  await page.getByPlaceholder("Team name or id…").fill("Atlas L");
  await page.getByRole("option", { name: new RegExp(teams.mergeSource) }).click();

  // Rename is the default strategy; the conflict "default" gets the source team's suffix.
  await expect(dialog.getByRole("radio", { name: /rename/i })).toBeChecked();
  const preview = dialog.getByTestId("merge-preview");
  await expect(
    preview.getByRole("heading", { name: /conflicting key names \(1\)/i }),
  ).toBeVisible();
  await expect(preview.getByText("Rename", { exact: true })).toBeVisible();
  await expect(preview.getByRole("heading", { name: /members to move \(2\)/i })).toBeVisible();
  await expect(preview.getByText("The source team is deleted")).toBeVisible();

  await dialog.getByLabel("Suffix for renamed keys").fill("-labs");
  await expect(preview.getByText("default-labs").first()).toBeVisible();
  await snap(page, "merge-preview");
  // The rest of the preview, the deletion warning and the confirmation, further down.
  await dialog.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await snap(page, "merge-preview-bottom");

  const confirm = dialog.getByRole("button", { name: "Merge and delete source" });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("checkbox", { name: /will be deleted/ }).check();
  await expect(confirm).toBeEnabled();
  await confirm.click();

  const progress = dialog.getByTestId("merge-progress");
  await expect(progress).toBeVisible();
  await expect(progress.getByText(/merge complete/i)).toBeVisible({ timeout: 30_000 });
  await expect(progress.getByText("Synced").first()).toBeVisible();
  await snap(page, "merge-done");
  await dialog.getByRole("button", { name: "Done" }).click();

  const keys = page.getByRole("table", { name: /API keys of/ });
  for (const name of ["default", "batch-jobs", "default-labs", "experiments"]) {
    await expect(keys.getByRole("button", { name: `Delete ${name}`, exact: true })).toBeVisible();
  }
  await expect(keys.getByText("In sync")).toHaveCount(4);
  await snap(page, "team-after-merge");

  await page.goto("/teams?q=Atlas");
  await expect(page.getByRole("table", { name: "Teams" }).getByText(teams.mergeSource)).toHaveCount(
    0,
  );
});
