/**
 * Every screen of the app and the dialogs it opens, for the accessibility spec. The keys are
 * the router's own paths: a route added to src/app/router.tsx without an entry here fails
 * the typecheck, so no screen goes unchecked. A path may list several screens (the same
 * route in another state: a blocked team). Every dialog opener carries
 * `aria-haspopup="dialog"` (a Radix trigger sets it; a plain button opening a confirmation
 * says it itself), and an enabled opener on a screen that is not listed here fails the spec.
 */
import type { Locator, Page } from "@playwright/test";
import type { router } from "../src/app/router.tsx";
import {
  orgs,
  ownerLeftKeyName,
  productNames,
  regionName,
  sandboxBlockNote,
  serviceTokenName,
  sso,
  teams,
  users,
} from "./fixtures.ts";

/** The demo roles the spec signs in as: a system admin, an organization admin, a member. */
export const roles = {
  admin: users.admin.email,
  orgAdmin: users.orgAdmin.email,
  member: users.member.email,
} as const;
export type Role = keyof typeof roles;
const everyone: readonly Role[] = ["admin", "orgAdmin", "member"];

/** Ids a path with parameters needs; the spec reads them from the API once. */
export interface FixtureIds {
  /** teams.acmePlatform: members, keys, a product; every role sees it. */
  teamId: string;
  /** orgs.acme: the org admin's organization, the member's too. */
  orgId: string;
  /** teams.acmeSandbox: blocked by a system admin, a key whose owner left. */
  blockedTeamId: string;
}

export interface DialogCase {
  /** The dialog's accessible name. */
  name: string | RegExp;
  /** Who is offered it on this screen; each of them opens it. */
  roles: readonly Role[];
  /**
   * What opens it: a button's exact accessible name, or the element focus must return to
   * and, when a click on it is not enough, the steps that open the dialog (a menu item).
   */
  open: string | { opener: (page: Page) => Locator; steps?: (page: Page) => Promise<void> };
  /** Dialog openers (accessible names) on the screen that open this same dialog for another row. */
  covers?: RegExp;
}

export interface Screen {
  /** Set when a path lists more than one screen: names the step. */
  label?: string;
  url: string | ((ids: FixtureIds) => string);
  /** Who sees the screen itself; everyone else is shown "Not allowed", which is checked too. */
  roles: readonly Role[];
  /** The screen's h1 once loaded. */
  heading: string | RegExp;
  /** Text the screen must show a role (the state the entry is there for). */
  shows?: { readonly [R in Role]?: string | RegExp };
  dialogs?: readonly DialogCase[];
}

type RoutePath = keyof (typeof router)["routesByPath"];

/** A path's screens, one or several. */
export function screensOf(entry: Screen | readonly Screen[]): readonly Screen[] {
  return "url" in entry ? [entry] : entry;
}

/** "/" only redirects; /login is the signed-out screen. */
export const redirects = { "/": "/teams" } as const satisfies Partial<Record<RoutePath, string>>;

/** The dialogs of a team page that do not depend on its state. */
function teamDialogs(opts: { keyName: string; memberName: string }): DialogCase[] {
  return [
    { name: "Merge teams", roles: ["admin"], open: "Merge a team into this one" },
    { name: "Add member", roles: ["admin", "orgAdmin"], open: "Add member" },
    { name: "Invite by email", roles: ["admin", "orgAdmin"], open: "Invite by email" },
    {
      name: "Remove member",
      roles: ["admin", "orgAdmin"],
      open: `Remove ${opts.memberName}`,
      covers: /^Remove /,
    },
    { name: "New API key", roles: ["admin"], open: "New key" },
    {
      name: "Key details",
      roles: ["admin", "orgAdmin", "member"],
      open: `Details of ${opts.keyName}`,
      covers: /^Details of /,
    },
    {
      name: "Block API key",
      roles: ["admin", "orgAdmin"],
      open: `Block ${opts.keyName}`,
      covers: /^Block (?!team$)/,
    },
    {
      name: "Delete API key",
      roles: ["admin"],
      open: `Delete ${opts.keyName}`,
      covers: /^Delete /,
    },
    {
      name: "Rotate API key",
      roles: ["admin"],
      open: `Rotate ${opts.keyName}`,
      covers: /^Rotate /,
    },
    {
      name: "Make always free",
      roles: ["admin"],
      open: { opener: (page) => page.getByRole("checkbox", { name: /Always free/ }) },
      covers: /^Always free/,
    },
  ];
}

export const screens: {
  [P in Exclude<RoutePath, keyof typeof redirects>]: Screen | readonly Screen[];
} = {
  "/login": { url: "/login", roles: [], heading: "Sign in" },
  // Signed-out pages reached from emails; without a token they say so.
  "/forgot-password": { url: "/forgot-password", roles: [], heading: "Forgot password" },
  "/reset-password": { url: "/reset-password", roles: [], heading: "Set a new password" },
  "/invitations/accept": {
    url: "/invitations/accept",
    roles: [],
    heading: "Accept the invitation",
  },
  "/teams": {
    url: "/teams",
    roles: everyone,
    heading: "Teams",
    dialogs: [
      { name: "New team", roles: ["admin", "orgAdmin"], open: "New team" },
      { name: "Merge teams", roles: ["admin"], open: "Merge teams" },
    ],
  },
  "/teams/$teamId": [
    {
      label: teams.acmePlatform,
      url: ({ teamId }) => `/teams/${teamId}`,
      roles: everyone,
      heading: new RegExp(teams.acmePlatform),
      dialogs: [
        { name: `Block ${teams.acmePlatform}`, roles: ["admin", "orgAdmin"], open: "Block team" },
        ...teamDialogs({ keyName: "default", memberName: users.alice.name }),
        { name: "Detach product", roles: ["admin"], open: `Detach ${productNames.pro}` },
      ],
    },
    {
      // Blocked by a system admin: the banner for everyone, Unblock for the system admin,
      // "Only a system admin can lift this block" for the org admin; a key whose owner left.
      label: teams.acmeSandbox,
      url: ({ blockedTeamId }) => `/teams/${blockedTeamId}`,
      roles: everyone,
      heading: new RegExp(teams.acmeSandbox),
      shows: {
        admin: sandboxBlockNote,
        orgAdmin: "Only a system admin can lift this block.",
        member: sandboxBlockNote,
      },
      dialogs: [
        { name: "Unblock team", roles: ["admin"], open: "Unblock team" },
        {
          name: "Transfer API key",
          roles: ["admin", "orgAdmin"],
          open: `Transfer ${ownerLeftKeyName}`,
          covers: /^Transfer /,
        },
        ...teamDialogs({ keyName: ownerLeftKeyName, memberName: users.member.name }),
      ],
    },
  ],
  "/organizations": {
    url: "/organizations",
    roles: ["admin", "orgAdmin"],
    heading: "Organizations",
    dialogs: [{ name: "New organization", roles: ["admin"], open: "New organization" }],
  },
  "/organizations/$orgId": {
    url: ({ orgId }) => `/organizations/${orgId}`,
    roles: everyone,
    heading: orgs.acme,
    dialogs: [
      { name: "Add organization member", roles: ["admin", "orgAdmin"], open: "Add member" },
      { name: "Invite by email", roles: ["admin", "orgAdmin"], open: "Invite by email" },
      {
        name: "Enforce single sign-on",
        roles: ["admin", "orgAdmin"],
        // A switch (role="switch") that asks first.
        open: { opener: (page) => page.getByRole("switch", { name: "Enforce single sign-on" }) },
        covers: /^Enforce single sign-on$/,
      },
      {
        name: "Remove from organization",
        roles: ["admin", "orgAdmin"],
        open: {
          opener: (page) => page.getByRole("button", { name: `Actions for ${users.alice.name}` }),
          steps: async (page) => {
            // By keyboard: a menu trigger pressed with the mouse does not take focus.
            await page.getByRole("button", { name: `Actions for ${users.alice.name}` }).focus();
            await page.keyboard.press("Enter");
            await page.getByRole("menuitem", { name: "Remove from organization" }).press("Enter");
          },
        },
      },
    ],
  },
  "/users": {
    url: "/users",
    roles: ["admin"],
    heading: "Users",
    dialogs: [
      { name: "New user", roles: ["admin"], open: "New user" },
      {
        name: `Edit ${users.alice.name}`,
        roles: ["admin"],
        open: `Edit ${users.alice.name}`,
        covers: /^Edit /,
      },
      {
        name: "Force password reset",
        roles: ["admin"],
        open: `Force password reset ${users.alice.name}`,
        covers: /^Force password reset /,
      },
    ],
  },
  "/products": {
    url: "/products",
    roles: ["admin"],
    heading: "Products",
    dialogs: [
      { name: "New product", roles: ["admin"], open: "New product" },
      {
        name: `Edit ${productNames.pro}`,
        roles: ["admin"],
        open: `Edit ${productNames.pro}`,
        covers: /^Edit /,
      },
    ],
  },
  "/regions": {
    url: "/regions",
    roles: ["admin"],
    heading: "Regions",
    dialogs: [
      { name: "New region", roles: ["admin"], open: "New region" },
      { name: `Edit ${regionName}`, roles: ["admin"], open: `Edit ${regionName}` },
      {
        name: `Reconciliation of ${regionName}`,
        roles: ["admin"],
        open: {
          opener: (page) =>
            page.getByRole("button", { name: new RegExp(`for ${regionName}: show the report`) }),
        },
        covers: /: show the report$/,
      },
    ],
  },
  "/audit": { url: "/audit", roles: ["admin", "orgAdmin"], heading: "Audit log" },
  "/sessions": {
    url: "/sessions",
    roles: everyone,
    heading: "Your sessions",
    dialogs: [
      // Other sessions of the account (earlier sign-ins) end through the same confirmation.
      {
        name: "Sign out of this session",
        roles: everyone,
        open: "Sign out",
        covers: /^End session$/,
      },
    ],
  },
  "/account": { url: "/account", roles: everyone, heading: "Account" },
  "/organizations/$orgId/webhooks": {
    url: ({ orgId }) => `/organizations/${orgId}/webhooks`,
    roles: ["admin", "orgAdmin"],
    heading: "Webhooks",
    dialogs: [{ name: "Add webhook endpoint", roles: ["admin", "orgAdmin"], open: "Add endpoint" }],
  },
  "/webhooks": {
    url: "/webhooks",
    roles: ["admin"],
    heading: "Global webhooks",
    dialogs: [{ name: "Add webhook endpoint", roles: ["admin"], open: "Add endpoint" }],
  },
  // A scheduled rotation's reveal link: the page itself is everyone's; revealing is gated.
  "/keys/$keyId/reveal": {
    url: "/keys/00000000-0000-4000-8000-000000000000/reveal",
    roles: everyone,
    heading: "Reveal a rotated key's secret",
  },
  "/identity-providers": {
    url: "/identity-providers",
    roles: ["admin", "orgAdmin"],
    heading: "Identity providers",
    dialogs: [
      {
        name: "New identity provider",
        roles: ["admin", "orgAdmin"],
        open: "New identity provider",
      },
      { name: `Edit ${sso.domain}`, roles: ["admin", "orgAdmin"], open: `Edit ${sso.domain}` },
      {
        name: `Group rules of ${sso.domain}`,
        roles: ["admin", "orgAdmin"],
        open: `1 rule of ${sso.domain}`,
      },
      {
        name: "Delete identity provider",
        roles: ["admin", "orgAdmin"],
        open: `Delete ${sso.domain}`,
      },
    ],
  },
  "/service-tokens": {
    url: "/service-tokens",
    roles: ["admin"],
    heading: "Service tokens",
    dialogs: [
      { name: "New service token", roles: ["admin"], open: "New service token" },
      {
        name: "Revoke service token",
        roles: ["admin"],
        open: `Revoke ${serviceTokenName}`,
        covers: /^Revoke /,
      },
    ],
  },
  "/outbox": { url: "/outbox", roles: ["admin"], heading: "Outbox" },
  "/notifications": { url: "/notifications", roles: everyone, heading: "Notifications" },
};
