/**
 * WCAG 2.1 A/AA with axe-core on every screen (e2e/screens.ts, keyed by the router's paths)
 * for each demo role, every dialog the screen lists, and every select or picker it shows.
 * Each dialog is closed with Escape and focus must be back on what opened it. Nothing is
 * submitted: the fixtures stay as the other specs expect them.
 */
import { expect, request, test, type Locator, type Page } from "@playwright/test";
import { orgs, PASSWORD, teams, users } from "./fixtures.ts";
import { expectAccessible, login, settled } from "./helpers.ts";
import {
  redirects,
  roles,
  screens,
  screensOf,
  type DialogCase,
  type FixtureIds,
  type Role,
  type Screen,
} from "./screens.ts";

let ids: FixtureIds;

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({
    baseURL: baseURL!,
    extraHTTPHeaders: { "x-gatehouse-csrf": "1" },
  });
  const signedIn = await api.post("/trpc/auth.login", {
    data: { email: users.admin.email, password: PASSWORD },
  });
  expect(signedIn.ok()).toBe(true);
  const query = async <T>(path: string, input: unknown): Promise<T> => {
    const res = await api.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
    expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
    return ((await res.json()) as { result: { data: T } }).result.data;
  };
  type Named = { items: Array<{ id: string; name: string }> };
  const team = (await query<Named>("teams.list", { search: teams.acmePlatform })).items.find(
    (t) => t.name === teams.acmePlatform,
  );
  const org = (await query<Named>("orgs.list", { search: orgs.acme })).items.find(
    (o) => o.name === orgs.acme,
  );
  const blocked = (await query<Named>("teams.list", { search: teams.acmeSandbox })).items.find(
    (t) => t.name === teams.acmeSandbox,
  );
  expect(team && org && blocked).toBeTruthy();
  ids = { teamId: team!.id, orgId: org!.id, blockedTeamId: blocked!.id };
  await api.dispose();
});

/**
 * The accessible name from Playwright's aria snapshot: `- button "Edit Ada"`, or YAML-quoted
 * `- 'button "In step for E2E Local: show the report"'` when the name holds a colon.
 */
async function accessibleName(element: Locator): Promise<string> {
  const snapshot = await element.ariaSnapshot();
  return /^- '?\w+ "((?:[^"\\]|\\.)*)"/.exec(snapshot)?.[1] ?? "";
}

function opener(page: Page, dialog: DialogCase): Locator {
  return typeof dialog.open === "string"
    ? page.getByRole("button", { name: dialog.open, exact: true })
    : dialog.open.opener(page);
}

/**
 * Every dialog opener on the screen must be one the table lists for this role. Openers say
 * so with `aria-haspopup="dialog"`: Radix triggers set it, plain buttons that open a
 * confirmation (a row's Remove, Block, Transfer) carry it themselves.
 */
async function expectDialogsListed(page: Page, listed: readonly DialogCase[], where: string) {
  // Pickers (role combobox) open a popover; they are checked as selects below. A disabled
  // opener (Delete team while it has keys) opens nothing.
  const triggers = page.locator(
    'main [aria-haspopup="dialog"]:not([role="combobox"]):not([disabled])',
  );
  const unlisted: string[] = [];
  for (const trigger of await triggers.all()) {
    if (!(await trigger.isVisible())) continue;
    const name = await accessibleName(trigger);
    const known = listed.some(
      (d) =>
        d.covers?.test(name) ||
        (typeof d.open === "string" ? d.open === name : false) ||
        (typeof d.name === "string" ? false : d.name.test(name)),
    );
    if (!known) unlisted.push(name);
  }
  expect(unlisted, `dialogs on ${where} missing from e2e/screens.ts`).toEqual([]);
}

async function checkDialog(page: Page, dialog: DialogCase, where: string): Promise<void> {
  const trigger = opener(page, dialog);
  if (typeof dialog.open !== "string" && dialog.open.steps) await dialog.open.steps(page);
  else await trigger.click();
  const open = page.getByRole("dialog", { name: dialog.name });
  await expect(open).toBeVisible();
  // Not `settled`: its network-idle wait costs half a second per dialog, and what a dialog
  // loads (regions, a report) shows as busy until it is there.
  await expect(open.locator('[aria-busy="true"]')).toHaveCount(0);
  await expectAccessible(
    page,
    `the "${String(dialog.name)}" dialog on ${where}`,
    '[role="dialog"]',
  );
  await page.keyboard.press("Escape");
  await expect(open).toHaveCount(0);
  await expect(trigger, `focus returns to the opener of "${String(dialog.name)}"`).toBeFocused();
}

/** Lists already checked, by screen and name: a select shows the same options to every role. */
const checkedPopups = new Set<string>();

/** Selects and pickers: open each, check its list, close it with Escape. */
async function checkPopups(page: Page, path: string, where: string): Promise<void> {
  const comboboxes = page.locator('main [role="combobox"]:not([disabled])');
  for (const combobox of await comboboxes.all()) {
    if (!(await combobox.isVisible())) continue;
    const name = await accessibleName(combobox);
    // One row's role select stands for every row's.
    const key = `${path} ${name.replace(/ of .*/, "")}`;
    if (checkedPopups.has(key)) continue;
    checkedPopups.add(key);
    await combobox.click();
    const popup = page.locator("[data-radix-popper-content-wrapper]");
    await expect(popup).toBeVisible();
    await expect(popup.getByText(/^(Loading|Searching)/)).toHaveCount(0);
    await expectAccessible(
      page,
      `the "${name}" list on ${where}`,
      "[data-radix-popper-content-wrapper]",
    );
    await page.keyboard.press("Escape");
    await expect(popup).toHaveCount(0);
    await expect(combobox).toBeFocused();
  }
}

function urlOf(screen: Screen): string {
  return typeof screen.url === "string" ? screen.url : screen.url(ids);
}

async function checkScreen(page: Page, path: string, screen: Screen, role: Role) {
  const where = `${path}${screen.label ? ` (${screen.label})` : ""} as ${role}`;
  await page.goto(urlOf(screen));
  const allowed = screen.roles.includes(role);
  await expect(
    page.getByRole("heading", { level: 1, name: allowed ? screen.heading : "Not allowed" }),
  ).toBeVisible();
  const shown = allowed ? screen.shows?.[role] : undefined;
  if (shown) await expect(page.getByText(shown).first()).toBeVisible();
  await settled(page);
  await expectAccessible(page, where);
  const dialogs = allowed ? (screen.dialogs ?? []).filter((d) => d.roles.includes(role)) : [];
  await expectDialogsListed(page, dialogs, where);
  for (const dialog of dialogs) await checkDialog(page, dialog, where);
  await checkPopups(page, path, where);
}

test("every signed-out screen passes axe, and / leads to the teams", async ({ page }) => {
  const signedOut = Object.entries(screens).flatMap(([path, entry]) =>
    screensOf(entry)
      .filter((screen) => screen.roles.length === 0)
      .map((screen) => [path, screen] as const),
  );
  expect(signedOut.map(([path]) => path)).toContain("/login");
  for (const [path, screen] of signedOut) {
    await test.step(path, async () => {
      await page.goto(urlOf(screen));
      await expect(page.getByRole("heading", { level: 1, name: screen.heading })).toBeVisible();
      await expectAccessible(page, `${path} (signed out)`);
    });
  }
  await login(page, users.member.email);
  for (const [from, to] of Object.entries(redirects)) {
    await page.goto(from);
    await expect(page).toHaveURL(new RegExp(`${to}$`));
  }
});

for (const role of Object.keys(roles) as Role[]) {
  test(`every screen and dialog passes axe for the ${role}`, async ({ page }) => {
    // About thirty-five axe runs in one sign-in (the key details dialog added some): more
    // than one default test's time.
    test.setTimeout(210_000);
    await login(page, roles[role]);
    // The account menu is on every screen: check it once.
    await page.getByRole("button", { name: "Account menu" }).click();
    await expect(page.getByRole("menu")).toBeVisible();
    await expectAccessible(page, `the account menu (${role})`, '[role="menu"]');
    await page.keyboard.press("Escape");
    for (const [path, entry] of Object.entries(screens)) {
      for (const screen of screensOf(entry)) {
        if (screen.roles.length === 0) continue; // signed-out screens: the test above
        await test.step(screen.label ? `${path} (${screen.label})` : path, () =>
          checkScreen(page, path, screen, role),
        );
      }
    }
  });
}

test("animations and transitions respect prefers-reduced-motion", async ({ page }) => {
  await page.goto("/login");
  // A spinner and a transition as the app's classes draw them.
  const motion = () =>
    page.evaluate(() => {
      const probe = document.createElement("div");
      probe.className = "animate-spin transition-colors";
      document.body.append(probe);
      const { animationDuration, transitionDuration } = getComputedStyle(probe);
      probe.remove();
      return { animationDuration, transitionDuration };
    });
  await page.emulateMedia({ reducedMotion: "no-preference" });
  expect(await motion()).toEqual({ animationDuration: "1s", transitionDuration: "0.15s" });
  await page.emulateMedia({ reducedMotion: "reduce" });
  expect(await motion()).toEqual({ animationDuration: "1e-05s", transitionDuration: "1e-05s" });
});
