/**
 * Joining by invitation: an organization admin invites someone into a team from its members
 * panel, the invitation email arrives at the SMTP receiver, its link is opened in a fresh
 * browser context (nobody signed in), the person picks a name and a password and lands
 * signed in, seeing the team.
 */
import { expect, test } from "@playwright/test";
import { teams, users } from "./fixtures.ts";
import { login, openTeam } from "./helpers.ts";
import { readMails } from "./mailbox.ts";

const port = Number(process.env.GATEHOUSE_E2E_PORT ?? 4173);

test("an org admin invites someone; the emailed link creates their account", async ({
  page,
  browser,
}) => {
  const email = `invitee-${Date.now()}@e2e.test`;
  await login(page, users.orgAdmin.email);
  await openTeam(page, teams.acmePlatform);
  await page.getByRole("button", { name: "Invite by email" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite by email" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByRole("button", { name: "Send invitation" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText(`Invitation sent to ${email}`)).toBeVisible();
  await expect(
    page.getByRole("table", { name: `Pending invitations to ${teams.acmePlatform}` }),
  ).toContainText(email);

  // The worker sends the mail; the receiver writes it down as it arrives.
  let link = "";
  await expect
    .poll(() => {
      const mail = readMails(port).find((m) => m.to === email);
      link = /https?:\/\/\S+\/invitations\/accept\?token=\S+/.exec(mail?.text ?? "")?.[0] ?? "";
      return link;
    })
    .not.toBe("");

  const context = await browser.newContext();
  try {
    const newcomer = await context.newPage();
    await newcomer.goto(link);
    await expect(
      newcomer.getByRole("heading", { level: 1, name: "Accept the invitation" }),
    ).toBeVisible();
    await newcomer.getByLabel("Your name").fill("Nia Newcomer");
    await newcomer.getByLabel("Password").fill("a long enough password");
    await newcomer.getByRole("button", { name: "Join" }).click();
    await expect(newcomer).toHaveURL(/\/teams/);
    await expect(newcomer.getByRole("button", { name: "Account menu" })).toBeVisible();
    await expect(
      newcomer.getByRole("link", { name: teams.acmePlatform, exact: true }),
    ).toBeVisible();
  } finally {
    await context.close();
  }
});
