/**
 * The main flows by keyboard alone: sign in; filter and page the teams table; open a team;
 * create a key and copy it; merge two teams through the preview to the live progress; block
 * and unblock the team and a key. Every Tab stop must show the focus ring, focus goes back
 * to what opened a dialog, and toasts and the merge progress are in live regions.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { keyboardKeys, PASSWORD, teams, users } from "./fixtures.ts";
import { expectAccessible } from "./helpers.ts";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/**
 * The focused element shows the ring: a 2px outline, or a box shadow in the ring colour (a
 * plain `shadow-sm` does not count).
 */
async function expectVisibleFocus(page: Page): Promise<void> {
  // The ring fades in (a box-shadow transition): polled until it is drawn, not read once.
  let focus = { ok: false, what: "nothing yet" };
  const read = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!(el instanceof HTMLElement) || el === document.body) return { ok: false, what: "body" };
      const probe = document.createElement("span");
      probe.style.color = "var(--color-ring)";
      document.body.append(probe);
      const ring = getComputedStyle(probe).color;
      probe.remove();
      const style = getComputedStyle(el);
      // The outline's colour may still be in its transition from the text colour to the ring.
      const outline =
        style.outlineStyle !== "none" &&
        parseFloat(style.outlineWidth) >= 2 &&
        !/rgba\(0, 0, 0, 0\)|transparent/.test(style.outlineColor);
      return {
        ok: outline || style.boxShadow.includes(ring),
        what: `${el.outerHTML.slice(0, 160)} (outline: ${style.outline}; box-shadow: ${style.boxShadow}; ring: ${ring})`,
      };
    });
  await expect
    .poll(async () => {
      focus = await read();
      return focus.ok;
    })
    .toBe(true)
    .catch(() => {
      throw new Error(`no visible focus ring on ${focus.what}`);
    });
}

async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}

/** Tabs (or, `back`, Shift+Tabs) until `target` has focus, each stop showing the ring. */
async function tabTo(page: Page, target: Locator, { back = false, maxStops = 80 } = {}) {
  await expect(target).toBeVisible();
  if (await isFocused(target)) return;
  for (let stop = 0; stop < maxStops; stop++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    // Past the page's last control focus leaves the document (the browser's own UI) once.
    if (await page.evaluate(() => document.activeElement === document.body)) continue;
    await expectVisibleFocus(page);
    if (await isFocused(target)) return;
  }
  throw new Error(`Tab did not reach ${String(target)} in ${maxStops} stops`);
}

/** Tabs to a control and presses Enter on it. */
async function activate(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press("Enter");
}

/** A toast, said through the live region sonner keeps on the page. */
function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('[aria-live="polite"]').getByText(text);
}

test("the main flows work by keyboard alone", async ({ page }) => {
  test.setTimeout(120_000);
  const teamsTable = page.getByRole("table", { name: "Teams" });

  // Sign in: the email field has focus on arrival.
  await page.goto("/login");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(users.admin.email);
  await page.keyboard.press("Tab");
  await expectVisibleFocus(page);
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/teams/);
  await expect(page.getByRole("heading", { level: 1, name: "Teams" })).toBeVisible();

  // The teams table: the next page, then a filter (a select), then a search.
  await activate(page, page.getByRole("button", { name: "Next page" }));
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/^Page 2 of/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Next page" })).toBeFocused();

  await tabTo(page, page.getByRole("combobox", { name: "Status" }), { back: true });
  await page.keyboard.press("Enter");
  // The list opens on the chosen option; each key press waits for the focus it moves.
  await expect(page.getByRole("option", { name: "Any status" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("option", { name: "Expired", exact: true })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("option", { name: "Not expired" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/expired=false/);
  await expect(page.getByRole("combobox", { name: "Status" })).toBeFocused();

  // The search box comes before the filters.
  await tabTo(page, page.getByLabel("Search"), { back: true });
  await page.keyboard.type(teams.keyboardTarget);
  await expect(page).toHaveURL(/q=Keyboard/);
  await expect(teamsTable.getByRole("row")).toHaveCount(2);

  // Open the team.
  await activate(page, teamsTable.getByRole("link", { name: teams.keyboardTarget, exact: true }));
  await expect(
    page.getByRole("heading", { level: 1, name: new RegExp(teams.keyboardTarget) }),
  ).toBeVisible();

  // Create a key (the region is a select), copy it, close: focus is back on "New key".
  const newKey = page.getByRole("button", { name: "New key", exact: true });
  await activate(page, newKey);
  const keyDialog = page.getByRole("dialog", { name: "New API key" });
  await expect(keyDialog.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("kb-created");
  await page.keyboard.press("Tab");
  await expect(keyDialog.getByRole("combobox", { name: "Region" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("option", { name: "E2E Local" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(keyDialog.getByRole("combobox", { name: "Region" })).toContainText("E2E Local");
  await activate(page, keyDialog.getByRole("button", { name: "Create key" }));
  const reveal = page.getByRole("dialog", { name: "Copy the key now" });
  const secret = reveal.getByTestId("key-secret");
  await expect(secret).toContainText("sk-");
  await activate(page, reveal.getByRole("button", { name: "Copy key" }));
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(await secret.textContent());
  await activate(page, reveal.getByRole("button", { name: "I have stored it" }));
  await expect(reveal).toHaveCount(0);
  await expect(newKey).toBeFocused();
  const keys = page.getByRole("table", { name: /API keys of/ });
  await expect(keys.getByText("kb-created")).toBeVisible();

  // Merge the other keyboard team in: pick it, read the preview, confirm, watch the progress.
  const mergeButton = page.getByRole("button", { name: "Merge a team into this one" });
  await activate(page, mergeButton);
  const mergeDialog = page.getByRole("dialog", { name: "Merge teams" });
  await activate(page, mergeDialog.getByRole("combobox", { name: /source team/i }));
  await expect(page.getByPlaceholder("Team name or id…")).toBeFocused();
  await page.keyboard.type(teams.keyboardSource);
  const option = page.getByRole("option", { name: new RegExp(teams.keyboardSource) });
  await expect(page.getByRole("option")).toHaveCount(1);
  await page.keyboard.press("ArrowDown");
  await expect(option).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(mergeDialog.getByRole("combobox", { name: /source team/i })).toContainText(
    teams.keyboardSource,
  );
  const preview = mergeDialog.getByTestId("merge-preview");
  await expect(preview.getByText(keyboardKeys.source).first()).toBeVisible();
  await tabTo(page, mergeDialog.getByRole("checkbox", { name: /will be deleted/ }));
  await page.keyboard.press("Space");
  await activate(page, mergeDialog.getByRole("button", { name: "Merge and delete source" }));
  const progress = mergeDialog.getByTestId("merge-progress").getByRole("status");
  await expect(progress).toHaveAttribute("aria-live", "polite");
  await expect(progress).toContainText(/merge complete/i, { timeout: 30_000 });
  await activate(page, mergeDialog.getByRole("button", { name: "Done" }));
  await expect(mergeDialog).toHaveCount(0);
  await expect(mergeButton).toBeFocused();
  await expect(keys.getByText(keyboardKeys.source)).toBeVisible();

  // Block the team with a reason (Enter submits the form), then unblock it.
  await activate(page, page.getByRole("button", { name: "Block team" }));
  const blockDialog = page.getByRole("dialog", { name: `Block ${teams.keyboardTarget}` });
  await expect(blockDialog.getByLabel("Reason (optional)")).toBeFocused();
  await page.keyboard.type("keyboard check");
  await page.keyboard.press("Enter");
  await expect(toast(page, `${teams.keyboardTarget} blocked`)).toBeVisible();
  await expectAccessible(page, "a success toast", "[data-sonner-toaster]");
  await expect(page.getByTestId("team-blocked-banner")).toContainText("keyboard check");
  await activate(page, page.getByRole("button", { name: "Unblock team" }));
  const unblockDialog = page.getByRole("dialog", { name: "Unblock team" });
  await activate(page, unblockDialog.getByRole("button", { name: "Unblock", exact: true }));
  await expect(toast(page, `${teams.keyboardTarget} unblocked`)).toBeVisible();
  await expect(page.getByTestId("team-blocked-banner")).toHaveCount(0);

  // Block one key (a confirmation), unblock it (at once).
  await activate(page, keys.getByRole("button", { name: `Block ${keyboardKeys.target}` }));
  const blockKey = page.getByRole("dialog", { name: "Block API key" });
  await activate(page, blockKey.getByRole("button", { name: "Block key" }));
  await expect(blockKey).toHaveCount(0);
  // Focus is back on the row's button, which now offers the unblock.
  const unblockKey = keys.getByRole("button", { name: `Unblock ${keyboardKeys.target}` });
  await expect(unblockKey).toBeFocused();
  await activate(page, unblockKey);
  await expect(toast(page, `Key ${keyboardKeys.target} unblocked`)).toBeVisible();
  await expect(keys.getByRole("button", { name: `Block ${keyboardKeys.target}` })).toBeVisible();
});
