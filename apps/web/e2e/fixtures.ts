/**
 * What the e2e server seeds and the specs rely on: accounts with known passwords and
 * named teams. Shared by server.ts and the specs so names cannot drift apart.
 */
export const PASSWORD = "e2e-correct-horse-battery";

export const users = {
  admin: { email: "admin@e2e.test", name: "Ada Admin" },
  orgAdmin: { email: "orgadmin@e2e.test", name: "Olive Orgadmin" },
  member: { email: "member@e2e.test", name: "Milo Member" },
  expiring: { email: "expiring@e2e.test", name: "Eve Expiring" },
  alice: { email: "alice@e2e.test", name: "Alice Engineer" },
  bob: { email: "bob@e2e.test", name: "Bob Builder" },
  /** Creates a key in the leaving team, then the leaving spec removes them from it. */
  leaver: { email: "leaver@e2e.test", name: "Lee Leaver" },
  /** ADMIN of the spend team only: the notifications spec reads its budget alerts. */
  spendAdmin: { email: "spendadmin@e2e.test", name: "Sam Spendadmin" },
} as const;

export const orgs = { acme: "Acme", globex: "Globex" } as const;

/** Teams per organization; the org admin must see exactly the Acme ones. */
export const teams = {
  acmePlatform: "Acme Platform",
  acmeResearch: "Acme Research",
  acmeData: "Acme Data",
  /** The leaving spec's team: Lee Leaver's key, Alice its admin. */
  acmeOps: "Acme Ops",
  globexSearch: "Globex Search",
  globexAds: "Globex Ads",
  internal: "Internal Tools",
  /** The merge spec merges source into target (no organization: touches no other spec). */
  mergeTarget: "Atlas Core",
  mergeSource: "Atlas Labs",
  /** The entitlements spec attaches a product to it and blocks it (no organization, no product). */
  entitlements: "Quota Lab",
  /** The keyboard spec creates a key on, blocks and merges into the first (no organization). */
  keyboardTarget: "Keyboard Core",
  keyboardSource: "Keyboard Labs",
  /**
   * The accessibility spec's blocked team: a system admin's manual block (the banner, Unblock
   * for the admin, "Only a system admin can lift this block" for the org admin) and a key
   * whose owner left (Transfer). Milo Member is a plain member of it.
   */
  acmeSandbox: "Acme Sandbox",
} as const;

/**
 * The spend spec's team and what its proxy reports (server.ts tells the contract server, then
 * runs one spend sync): $40 of a $50 budget, i.e. the bar's "warning" colour.
 */
export const spendTeam = teams.acmeResearch;
export const spendFixture = {
  spendUsd: 40,
  budgetUsd: 50,
  resetAt: "2030-01-01T00:00:00.000Z",
} as const;

/** The key the entitlements spec blocks and unblocks on teams.entitlements. */
export const entitlementsKeyName = "quota-key";

/** The key Lee Leaver creates in Acme Ops, shown "Owner left" once they are removed. */
export const leaverKeyName = "leaver-key";

/** Lee Leaver's key in teams.acmeSandbox, "Owner left" from the start (they are removed). */
export const ownerLeftKeyName = "sandbox-key";

/** The note of the system admin's block on teams.acmeSandbox. */
export const sandboxBlockNote = "Audit pending";

/** A service token seeded so the tokens screen has a row to revoke. */
export const serviceTokenName = "e2e-reporting";

export const acmeTeams = [
  teams.acmePlatform,
  teams.acmeResearch,
  teams.acmeData,
  teams.acmeOps,
  teams.acmeSandbox,
];

/**
 * Extra teams so the teams table has more than one page: with the 13 named ones, 50 teams in
 * all, two pages of 25 (admin.spec reads "Page 1 of 2"; a new named team takes one from here).
 */
export const FILLER_TEAMS = 37;

/** Keys seeded on the keyboard spec's teams. */
export const keyboardKeys = { target: "kb-main", source: "kb-lab" } as const;

export const regionName = "E2E Local";
export const productNames = { pro: "Pro plan", starter: "Starter" } as const;

/**
 * Single sign-on: e2e/server.ts starts the local IdP (packages/identity-provider) with this
 * person and configures it as Acme's identity provider for `domain`, with one group rule:
 * `group` -> Acme member and a member of `team`. Nia has no Gatehouse account before her
 * first sign-in (just-in-time provisioning).
 */
export const sso = {
  domain: "sso.e2e.test",
  clientId: "gatehouse-e2e",
  clientSecret: "e2e-idp-client-secret",
  group: "acme-research",
  team: teams.acmeResearch,
  person: {
    sub: "e2e-nia",
    email: "nia@sso.e2e.test",
    name: "Nia Newcomer",
    password: "nia-idp-password",
  },
} as const;
