/**
 * The authorization matrix as data: one row per procedure of the app router, the input to
 * send, and what each kind of caller must get. `authorization-matrix.test.ts` runs every
 * cell over real HTTP and fails when a procedure has no row (or a row names a procedure
 * that does not exist), so a new procedure cannot ship without its authorization spelled
 * out here.
 *
 * Reading a row: "ok" = HTTP 200; a number = the HTTP status of the refusal. The rules:
 * no valid credentials -> 401; authenticated but not allowed -> 403;
 * an object the caller may not even see (someone else's session, another organization's
 * team or key) is "not found" (404), exactly like an unknown id, so ids cannot be probed.
 * A procedure may have more rows than one when a case needs other input (`variant`).
 */
import crypto from "node:crypto";
import { startContractServer } from "@gatehouse/litellm/contract-server";
import { hash } from "@node-rs/argon2";
import { type Harness } from "../support/harness.ts";
import * as fx from "../support/fixtures.ts";
import {
  hashToken,
  INVITATION_TOKEN_PREFIX,
  newOpaqueToken,
  PASSWORD_RESET_TOKEN_PREFIX,
} from "../../src/auth/tokens.ts";

export const callers = [
  "anonymous",
  /** A system admin's session, revoked: must count for nothing. */
  "revokedSession",
  /** A system admin's session past its idle expiry: must count for nothing. */
  "expiredSession",
  /** Plain MEMBER of a team in org A (and MEMBER of org A). */
  "member",
  /** ADMIN of a team in org A (and MEMBER of org A). */
  "teamAdmin",
  /** ORG_ADMIN of org A, acting on org A's objects. */
  "orgAdminA",
  /** The same ORG_ADMIN of org A, acting on org B's objects. */
  "orgAdminA_onB",
  "systemAdmin",
  /** Service token with admin scope: acts as a system admin. */
  "adminToken",
  /** Service token scoped to org A: acts as org A's admin. */
  "orgTokenA",
  /** An admin-scoped service token, revoked. */
  "revokedToken",
  /** An admin-scoped token whose creator has since been demoted (still active): no rights left. */
  "adminTokenDemotedCreator",
  /** An admin-scoped token whose creator has since been disabled (still flagged admin). */
  "adminTokenDisabledCreator",
  /** An org A token whose creator has since been demoted to MEMBER of org A. */
  "orgTokenDemotedCreator",
] as const;
export type Caller = (typeof callers)[number];

export type Target = "A" | "B";
export type Outcome = "ok" | 400 | 401 | 403 | 404 | 409 | 412 | 429;

/** Which organization's objects a caller's input points at. */
export function targetOf(caller: Caller): Target {
  return caller === "orgAdminA_onB" ? "B" : "A";
}

export interface OrgFixtures {
  organizationId: string;
  /** The team where, in org A, `teamAdmin` is ADMIN and `member` is MEMBER. */
  teamId: string;
  /** A second team of the organization, the target of merges. */
  spareTeamId: string;
  /** A finished merge into `spareTeamId`, for teams.mergeStatus. */
  mergeId: string;
  /** A plain member of this org, the object of user/session procedures. */
  victimUserId: string;
  victimEmail: string;
  /** A live session of the victim (revoking it is idempotent, so cells can share it). */
  victimSessionId: string;
  /** An org-scoped service token of this org, the object of serviceTokens.revoke. */
  victimServiceTokenId: string;
}

/**
 * Fresh objects for rows whose call consumes its object (delete, remove, attach...), so
 * every cell starts from the same state. `unique` keeps names apart.
 */
export interface MatrixFactories {
  /** A new active user, member of nothing. */
  user(unique: string): Promise<string>;
  /** A new user who is a MEMBER of the organization. */
  orgMember(target: Target, unique: string): Promise<string>;
  /** A new user who is a MEMBER of the organization's team. */
  teamMember(target: Target, unique: string): Promise<string>;
  /** A new user who is an ADMIN of the organization's team (and a MEMBER of the organization). */
  teamAdminMember(target: Target, unique: string): Promise<string>;
  /** A new team in the organization; in org A the `teamAdmin` and `member` callers are its ADMIN and MEMBER. */
  team(target: Target, unique: string): Promise<string>;
  /** A new product. */
  product(unique: string): Promise<string>;
  /** A new product, active on the organization's team. */
  attachedProduct(target: Target, unique: string): Promise<string>;
  /** A new API key row of the organization's team (deleting it only queues a LiteLLM job). */
  key(target: Target, unique: string): Promise<string>;
  /** A new region on the fixtures' LiteLLM stand-in (a reconciliation holds its region's lease). */
  region(unique: string): Promise<string>;
  /** A new pending invitation into the organization's team (MEMBER); its id and link token. */
  invitation(target: Target, unique: string): Promise<{ id: string; token: string }>;
  /** A new user with a usable password reset token; the token. */
  resetToken(unique: string): Promise<string>;
  /** A new mail in the local outbox (queued, bodies kept), for outbox.get. */
  mail(unique: string): Promise<string>;
  /** A new identity provider of the organization (domain `<unique>.idp.example.com`). */
  identityProvider(target: Target, unique: string): Promise<string>;
  /** A new global identity provider (no organization). */
  globalIdentityProvider(unique: string): Promise<string>;
  /** A new webhook endpoint of the organization. */
  webhook(target: Target, unique: string): Promise<string>;
  /** A new global webhook endpoint (no organization). */
  globalWebhook(unique: string): Promise<string>;
}

export interface MatrixFixtures {
  orgs: Record<Target, OrgFixtures>;
  make: MatrixFactories;
  userIds: { member: string; teamAdmin: string; orgAdminA: string; systemAdmin: string };
  /** A region (regions are global, not per organization). */
  regionId: string;
  tokens: {
    admin: string;
    orgA: string;
    revoked: string;
    adminDemotedCreator: string;
    adminDisabledCreator: string;
    orgADemotedCreator: string;
  };
  /** An account whose password is known, for the auth.login row. */
  login: { email: string; password: string };
  /** Values no response may ever contain (token secrets of others, hashes, master keys). */
  secrets: string[];
  /** Stops what the fixtures started (the LiteLLM stand-in behind the region). */
  close(): Promise<void>;
}

export interface MatrixRow {
  path: string;
  /** Names a second (third...) row of the same procedure, for a case needing other input. */
  variant?: string;
  type: "query" | "mutation";
  /** The input to send; may be async when it first creates the object it acts on. */
  input: (fixtures: MatrixFixtures, target: Target, unique: string) => unknown;
  expect: Record<Caller, Outcome>;
}

/** Whose rights a token outlived count as no credentials at all (core serviceTokenAuthority). */
const unauthenticated = {
  anonymous: 401,
  revokedSession: 401,
  expiredSession: 401,
  revokedToken: 401,
  adminTokenDemotedCreator: 401,
  adminTokenDisabledCreator: 401,
  orgTokenDemotedCreator: 401,
} as const;

/** Any valid credentials pass; no valid credentials -> 401. */
const anyAuthenticated: Record<Caller, Outcome> = {
  ...unauthenticated,
  member: "ok",
  teamAdmin: "ok",
  orgAdminA: "ok",
  orgAdminA_onB: "ok",
  systemAdmin: "ok",
  adminToken: "ok",
  orgTokenA: "ok",
};

/** Public and indifferent to credentials: every caller, valid or not, gets an answer. */
const everyone = Object.fromEntries(callers.map((caller) => [caller, "ok"])) as Record<
  Caller,
  Outcome
>;

/** System admins and admin-scoped tokens pass; every other caller gets `refusal`. */
function adminOnly(refusal: 403 | 404 = 403): Record<Caller, Outcome> {
  return {
    ...unauthenticated,
    member: refusal,
    teamAdmin: refusal,
    orgAdminA: refusal,
    orgAdminA_onB: refusal,
    systemAdmin: "ok",
    adminToken: "ok",
    orgTokenA: refusal,
  };
}

/** System admins and the organization's admins (people or org-scoped tokens) pass. */
const orgAdmins: Record<Caller, Outcome> = {
  ...unauthenticated,
  member: 403,
  teamAdmin: 403,
  orgAdminA: "ok",
  orgAdminA_onB: 403,
  systemAdmin: "ok",
  adminToken: "ok",
  orgTokenA: "ok",
};

/** Every signed-in person passes; service tokens (no person behind the call) get 403. */
const peopleOnly: Record<Caller, Outcome> = {
  ...anyAuthenticated,
  adminToken: 403,
  orgTokenA: 403,
};

/** As `orgAdmins`, and the team's own ADMIN too. */
const teamManagers: Record<Caller, Outcome> = { ...orgAdmins, teamAdmin: "ok" };

/** Anyone who can see the team: its members, its organization's admins, system admins. */
const teamViewers: Record<Caller, Outcome> = { ...teamManagers, member: "ok" };

/**
 * For procedures on one team (or its key) by id: org A's admin cannot see org B's team,
 * so it does not exist for them (404, like an unknown id), where org-wide gates say 403.
 */
const onTeam = (outcomes: Record<Caller, Outcome>): Record<Caller, Outcome> => ({
  ...outcomes,
  orgAdminA_onB: 404,
});

/** A short DNS label for a cell (its `unique` may pass the 63 characters a label allows). */
const domainLabel = (unique: string): string =>
  `d${crypto.createHash("sha256").update(unique).digest("hex").slice(0, 16)}`;

/** An endpoint's procedures: as `onProvider`, for webhooks. */
const onWebhook: Record<Caller, Outcome> = {
  ...orgAdmins,
  member: 404,
  teamAdmin: 404,
  orgAdminA_onB: 404,
};

/** Sent by the identityProviders rows; no response may echo it. */
const MATRIX_CLIENT_SECRET = "matrix-oidc-client-secret-7f3a9c";
/** The sealed secret of the matrix's webhooks; no response may echo it. */
const MATRIX_WEBHOOK_SECRET_SEALED = "v1.aaaa.bbbb.webhooksecretsealed";

/**
 * A provider's settings: org A's admin sees and manages only its organization's providers
 * (anyone else's, and global ones, do not exist for them: 404).
 */
const onProvider: Record<Caller, Outcome> = {
  ...orgAdmins,
  member: 404,
  teamAdmin: 404,
  orgAdminA_onB: 404,
};

/** Sent by the regions.create row; no response may echo it. */
const CREATED_REGION_MASTER_KEY = "sk-matrix-created-region-key-5b1e";

export const matrix: MatrixRow[] = [
  {
    path: "auth.login",
    type: "mutation",
    // The right password: "ok" for every caller shows login is public and ignores whatever
    // credentials come with it (a wrong password would be 401 for all and prove nothing).
    input: (f) => ({ email: f.login.email, password: f.login.password }),
    expect: {
      anonymous: "ok",
      revokedSession: "ok",
      expiredSession: "ok",
      member: "ok",
      teamAdmin: "ok",
      orgAdminA: "ok",
      orgAdminA_onB: "ok",
      systemAdmin: "ok",
      adminToken: "ok",
      orgTokenA: "ok",
      revokedToken: "ok",
      adminTokenDemotedCreator: "ok",
      adminTokenDisabledCreator: "ok",
      orgTokenDemotedCreator: "ok",
    },
  },
  { path: "auth.logout", type: "mutation", input: () => undefined, expect: anyAuthenticated },
  { path: "auth.me", type: "query", input: () => undefined, expect: anyAuthenticated },
  // Public: a visitor (or a dead session or token) gets 200 with null, not a 401.
  { path: "auth.session", type: "query", input: () => undefined, expect: everyone },
  {
    path: "auth.requestPasswordReset",
    type: "mutation",
    // Public, and the same answer whatever the email (an unknown one here).
    input: (_f, target, unique) => ({
      email: `forgot-${unique}@${target.toLowerCase()}.example.com`,
    }),
    expect: everyone,
  },
  {
    path: "auth.resetPassword",
    type: "mutation",
    // Public: the token is the credential (a fresh usable one per cell).
    input: async (f, _target, unique) => ({
      token: await f.make.resetToken(unique),
      password: "a long enough password",
    }),
    expect: everyone,
  },
  {
    path: "auth.changePassword",
    type: "mutation",
    // The gate, not the password: people pass it (and get the field error of a wrong
    // current password); service tokens have no password (403).
    input: () => ({ currentPassword: "not the password", newPassword: "a long enough password" }),
    expect: {
      ...unauthenticated,
      member: 400,
      teamAdmin: 400,
      orgAdminA: 400,
      orgAdminA_onB: 400,
      systemAdmin: 400,
      adminToken: 403,
      orgTokenA: 403,
    },
  },
  {
    path: "invitations.create",
    type: "mutation",
    // Into the organization's team: its managers. Org A's admin does not see org B's team:
    // an unknown team is a field error (400), as for an id that does not exist.
    input: (f, target, unique) => ({
      email: `invitee-${unique}@${target.toLowerCase()}.example.com`,
      teamId: f.orgs[target].teamId,
      teamRole: "MEMBER",
    }),
    expect: { ...teamManagers, orgAdminA_onB: 400 },
  },
  {
    path: "invitations.create",
    variant: "an organization admin",
    type: "mutation",
    // An organization role: its admins only (a team admin may not grant one).
    input: (f, target, unique) => ({
      email: `invitee-admin-${unique}@${target.toLowerCase()}.example.com`,
      organizationId: f.orgs[target].organizationId,
      orgRole: "ORG_ADMIN",
    }),
    expect: orgAdmins,
  },
  {
    path: "invitations.list",
    type: "query",
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId }),
    expect: orgAdmins,
  },
  {
    path: "invitations.list",
    variant: "a team's",
    type: "query",
    input: (f, target) => ({ teamId: f.orgs[target].teamId }),
    expect: onTeam(teamManagers),
  },
  {
    path: "invitations.resend",
    type: "mutation",
    // An invitation one may not manage does not exist for them (404, like an unknown id).
    input: async (f, target, unique) => ({
      invitationId: (await f.make.invitation(target, unique)).id,
    }),
    expect: { ...onTeam(teamManagers), member: 404 },
  },
  {
    path: "invitations.revoke",
    type: "mutation",
    input: async (f, target, unique) => ({
      invitationId: (await f.make.invitation(target, unique)).id,
    }),
    expect: { ...onTeam(teamManagers), member: 404 },
  },
  {
    path: "invitations.preview",
    type: "query",
    // Public: the link's token is the credential.
    input: async (f, target, unique) => ({
      token: (await f.make.invitation(target, unique)).token,
    }),
    expect: everyone,
  },
  {
    path: "invitations.accept",
    type: "mutation",
    // Public: the link's token is the credential, whoever (if anyone) is signed in.
    input: async (f, target, unique) => ({
      token: (await f.make.invitation(target, unique)).token,
      name: `Invitee ${unique}`,
      password: "a long enough password",
    }),
    expect: everyone,
  },
  {
    path: "users.create",
    type: "mutation",
    input: (_f, target, unique) => ({
      email: `created-${unique}@${target.toLowerCase()}.example.com`,
      name: `Created ${unique}`,
      password: "a long enough password",
    }),
    expect: adminOnly(),
  },
  {
    path: "users.list",
    type: "query",
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId }),
    expect: {
      ...unauthenticated,
      member: 403,
      teamAdmin: 403,
      orgAdminA: "ok",
      orgAdminA_onB: 403,
      systemAdmin: "ok",
      adminToken: "ok",
      orgTokenA: "ok",
    },
  },
  {
    path: "users.update",
    type: "mutation",
    // Someone else's harmless field: only a system admin may change another user at all.
    // Self-service (name/password only) is covered in users.test.ts.
    input: (f, target, unique) => ({
      userId: f.orgs[target].victimUserId,
      name: `Renamed ${unique}`,
    }),
    expect: adminOnly(),
  },
  {
    path: "users.forcePasswordReset",
    type: "mutation",
    // A fresh person per cell (their sessions end).
    input: async (f, _target, unique) => ({ userId: await f.make.user(`forced-${unique}`) }),
    expect: adminOnly(),
  },
  {
    path: "users.lookup",
    type: "query",
    // Open to whoever manages some team's members (any team admin, any org admin), by
    // exact email. Only system admins find anyone: others find only people they already
    // share an organization with, and anyone else answers null like an unknown email, so
    // org A's admin asking for org B's member gets 200 with null (user-directory-scope.test.ts).
    input: (f, target) => ({ email: f.orgs[target].victimEmail }),
    expect: { ...anyAuthenticated, member: 403 },
  },
  {
    path: "sessions.list",
    type: "query",
    // Another user's sessions: admins only. Own sessions are covered in sessions.test.ts.
    input: (f, target) => ({ userId: f.orgs[target].victimUserId }),
    expect: adminOnly(),
  },
  {
    path: "sessions.revoke",
    type: "mutation",
    input: (f, target) => ({ sessionId: f.orgs[target].victimSessionId }),
    // Not 403: to anyone but an admin another person's session does not exist.
    expect: adminOnly(404),
  },
  {
    path: "serviceTokens.create",
    type: "mutation",
    input: (f, target, unique) => ({
      name: `token ${unique}`,
      scope: "organization",
      organizationId: f.orgs[target].organizationId,
    }),
    expect: adminOnly(),
  },
  {
    path: "serviceTokens.revoke",
    type: "mutation",
    input: (f, target) => ({ serviceTokenId: f.orgs[target].victimServiceTokenId }),
    expect: adminOnly(),
  },
  { path: "serviceTokens.list", type: "query", input: () => undefined, expect: adminOnly() },

  // Organizations.
  {
    path: "orgs.create",
    type: "mutation",
    input: (_f, _target, unique) => ({ name: `Org ${unique}` }),
    expect: adminOnly(),
  },
  // Scoped, not gated: everyone signed in sees the organizations they belong to.
  { path: "orgs.list", type: "query", input: () => undefined, expect: anyAuthenticated },
  {
    path: "orgs.get",
    type: "query",
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId }),
    // Any member of the organization; to anyone else it does not exist (404, no probing).
    expect: { ...anyAuthenticated, orgAdminA_onB: 404 },
  },
  {
    path: "orgs.addMember",
    type: "mutation",
    // A person in none of the caller's organizations: only system admins add them directly;
    // for an org admin (or org token) they join by an invitation they accept (403 until then).
    input: async (f, target, unique) => ({
      organizationId: f.orgs[target].organizationId,
      userId: await f.make.user(unique),
      role: "MEMBER",
    }),
    expect: { ...orgAdmins, orgAdminA: 403, orgTokenA: 403 },
  },
  {
    path: "orgs.addMember",
    variant: "a member of the organization",
    type: "mutation",
    // Someone already in the organization: its admins set their role.
    input: async (f, target, unique) => ({
      organizationId: f.orgs[target].organizationId,
      userId: await f.make.orgMember(target, unique),
      role: "ORG_ADMIN",
    }),
    expect: orgAdmins,
  },
  {
    path: "orgs.removeMember",
    type: "mutation",
    input: async (f, target, unique) => ({
      organizationId: f.orgs[target].organizationId,
      userId: await f.make.orgMember(target, unique),
    }),
    expect: orgAdmins,
  },

  {
    path: "orgs.setSsoEnforced",
    type: "mutation",
    // Lifting it (enforcing would end the callers' own password sessions mid-matrix); the
    // behaviour is in test/sso/enforced-sso.test.ts.
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId, enforced: false }),
    expect: orgAdmins,
  },

  // Identity providers (single sign-on).
  {
    path: "identityProviders.create",
    type: "mutation",
    input: (f, target, unique) => ({
      organizationId: f.orgs[target].organizationId,
      issuer: "https://idp.example.com",
      clientId: `client-${unique}`,
      clientSecret: MATRIX_CLIENT_SECRET,
      domains: [`${domainLabel(unique)}.created.example.com`],
      jitProvisioning: true,
    }),
    expect: orgAdmins,
  },
  {
    path: "identityProviders.create",
    variant: "a global provider",
    type: "mutation",
    input: (_f, _target, unique) => ({
      issuer: "https://idp.example.com",
      clientId: `client-${unique}`,
      clientSecret: MATRIX_CLIENT_SECRET,
      domains: [`${domainLabel(unique)}.global.example.com`],
      jitProvisioning: false,
    }),
    expect: adminOnly(),
  },
  {
    path: "identityProviders.list",
    type: "query",
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId }),
    expect: orgAdmins,
  },
  {
    path: "identityProviders.list",
    variant: "every provider the caller manages",
    type: "query",
    input: () => ({}),
    expect: { ...orgAdmins, orgAdminA_onB: "ok" },
  },
  {
    path: "identityProviders.update",
    type: "mutation",
    input: async (f, target, unique) => ({
      providerId: await f.make.identityProvider(target, unique),
      clientSecret: MATRIX_CLIENT_SECRET,
      jitProvisioning: false,
    }),
    expect: onProvider,
  },
  {
    path: "identityProviders.update",
    variant: "a global provider",
    type: "mutation",
    input: async (f, _target, unique) => ({
      providerId: await f.make.globalIdentityProvider(unique),
      jitProvisioning: true,
    }),
    expect: adminOnly(404),
  },
  {
    path: "identityProviders.delete",
    type: "mutation",
    input: async (f, target, unique) => ({
      providerId: await f.make.identityProvider(target, unique),
    }),
    expect: onProvider,
  },
  {
    path: "identityProviders.delete",
    variant: "a global provider",
    type: "mutation",
    input: async (f, _target, unique) => ({
      providerId: await f.make.globalIdentityProvider(unique),
    }),
    expect: adminOnly(404),
  },
  {
    path: "identityProviders.setGroupRules",
    type: "mutation",
    input: async (f, target, unique) => ({
      providerId: await f.make.identityProvider(target, unique),
      rules: [
        {
          group: "engineering",
          organizationId: f.orgs[target].organizationId,
          teamId: f.orgs[target].teamId,
          teamRole: "KEY_CREATOR",
        },
      ],
    }),
    expect: onProvider,
  },
  {
    path: "identityProviders.setGroupRules",
    variant: "a global provider",
    type: "mutation",
    input: async (f, target, unique) => ({
      providerId: await f.make.globalIdentityProvider(unique),
      rules: [{ group: "all", organizationId: f.orgs[target].organizationId }],
    }),
    expect: adminOnly(404),
  },

  // Teams. The team admin and the member belong to org A's team (team
  // admins manage their own team's members; members see their own teams).
  { path: "teams.list", type: "query", input: () => undefined, expect: anyAuthenticated },
  {
    path: "teams.create",
    type: "mutation",
    input: (f, target, unique) => ({
      name: `Team ${unique}`,
      organizationId: f.orgs[target].organizationId,
    }),
    expect: orgAdmins,
  },
  {
    path: "teams.get",
    type: "query",
    input: (f, target) => ({ teamId: f.orgs[target].teamId }),
    expect: onTeam(teamViewers),
  },
  {
    path: "teams.update",
    type: "mutation",
    input: (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      name: `Team ${target} ${unique}`,
    }),
    expect: onTeam(orgAdmins),
  },
  {
    path: "teams.delete",
    type: "mutation",
    // A team of its own per cell, where the team admin and the member of org A belong.
    input: async (f, target, unique) => ({ teamId: await f.make.team(target, unique) }),
    expect: onTeam(orgAdmins),
  },
  {
    path: "teams.addMember",
    type: "mutation",
    // A member of the team's organization: the only people a team of an organization takes.
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      userId: await f.make.orgMember(target, unique),
      role: "MEMBER",
    }),
    expect: onTeam(teamManagers),
  },
  {
    path: "teams.addMember",
    variant: "a user of the other organization",
    type: "mutation",
    // Someone outside the team's organization, even as ADMIN: refused for everyone, as
    // "not found" (the same answer as an unknown user, so nothing is confirmed). The member
    // sees the team but may not manage it (403).
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      userId: await f.make.orgMember(target === "A" ? "B" : "A", unique),
      role: "ADMIN",
    }),
    expect: {
      ...unauthenticated,
      member: 403,
      teamAdmin: 404,
      orgAdminA: 404,
      orgAdminA_onB: 404,
      systemAdmin: 404,
      adminToken: 404,
      orgTokenA: 404,
    },
  },
  {
    path: "teams.removeMember",
    type: "mutation",
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      userId: await f.make.teamMember(target, unique),
    }),
    expect: onTeam(teamManagers),
  },
  {
    path: "teams.removeMember",
    variant: "another team admin",
    type: "mutation",
    // A team admin is not removed by a peer: only the organization's admins and system admins.
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      userId: await f.make.teamAdminMember(target, unique),
    }),
    expect: onTeam(orgAdmins),
  },
  {
    path: "teams.setMemberRole",
    type: "mutation",
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      userId: await f.make.teamMember(target, unique),
      role: "READ_ONLY",
    }),
    expect: onTeam(teamManagers),
  },
  {
    path: "teams.setMemberRole",
    variant: "demoting another team admin",
    type: "mutation",
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      userId: await f.make.teamAdminMember(target, unique),
      role: "MEMBER",
    }),
    expect: onTeam(orgAdmins),
  },

  // A member's budget inside the team: whoever manages the team's members.
  {
    path: "teams.setMemberBudget",
    type: "mutation",
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      userId: await f.make.teamMember(target, unique),
      maxBudgetUsd: 12.5,
    }),
    expect: onTeam(teamManagers),
  },

  // Products: the catalogue is readable by anyone signed in; changing it is for admins.
  {
    path: "products.create",
    type: "mutation",
    input: (_f, _target, unique) => ({ name: `Product ${unique}` }),
    expect: adminOnly(),
  },
  {
    path: "products.update",
    type: "mutation",
    input: async (f, _target, unique) => ({
      productId: await f.make.product(unique),
      limits: { rpmLimit: 5, budgetDuration: "30d" },
    }),
    expect: adminOnly(),
  },
  { path: "products.list", type: "query", input: () => undefined, expect: anyAuthenticated },
  {
    path: "products.attach",
    type: "mutation",
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      productId: await f.make.product(unique),
    }),
    expect: adminOnly(),
  },
  {
    path: "products.detach",
    type: "mutation",
    input: async (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      productId: await f.make.attachedProduct(target, unique),
    }),
    expect: adminOnly(),
  },

  // Regions. The spec's table says "admin" for regions.list too; the implementation lets
  // anyone signed in list active regions (to pick one for a key), without base URLs. Kept
  // as implemented and flagged for a decision; master keys are never returned either way.
  {
    path: "regions.create",
    type: "mutation",
    input: (_f, _target, unique) => ({
      name: `R ${unique}`,
      litellmBaseUrl: "http://127.0.0.1:1",
      litellmMasterKey: CREATED_REGION_MASTER_KEY,
    }),
    expect: adminOnly(),
  },
  { path: "regions.list", type: "query", input: () => undefined, expect: anyAuthenticated },
  {
    path: "regions.update",
    type: "mutation",
    input: (f) => ({ regionId: f.regionId, isActive: true }),
    expect: adminOnly(),
  },
  // Reconciliation: system admins only. A fresh region per cell, since a reconciliation
  // holds its region's lease and the cells of a row may run concurrently.
  {
    path: "regions.reconcile",
    type: "mutation",
    input: async (f, _target, unique) => ({ regionId: await f.make.region(unique), repair: true }),
    expect: adminOnly(),
  },
  {
    path: "regions.reconcileStatus",
    type: "query",
    input: (f) => ({ regionId: f.regionId }),
    expect: adminOnly(),
  },
  {
    path: "regions.deleteOrphanKeys",
    type: "mutation",
    // A key id the proxy does not hold: nothing to delete, but the call runs in full.
    input: (f) => ({ regionId: f.regionId, keyTokens: ["0".repeat(64)] }),
    expect: adminOnly(),
  },

  // Team merges: system admins only.
  {
    path: "teams.mergePreview",
    type: "query",
    input: (f, target) => ({
      sourceTeamId: f.orgs[target].teamId,
      targetTeamId: f.orgs[target].spareTeamId,
      strategy: "cancel",
    }),
    expect: adminOnly(),
  },
  {
    path: "teams.merge",
    type: "mutation",
    // A fresh source per cell: a merge deletes it.
    input: async (f, target, unique) => ({
      sourceTeamId: await f.make.team(target, unique),
      targetTeamId: f.orgs[target].spareTeamId,
      strategy: "cancel",
    }),
    expect: adminOnly(),
  },
  {
    path: "teams.mergeStatus",
    type: "query",
    input: (f, target) => ({ mergeId: f.orgs[target].mergeId }),
    expect: adminOnly(),
  },

  // Spend: a team's history for whoever sees the team; the billing CSV for system
  // admins and the organization's admins.
  {
    path: "teams.spendHistory",
    type: "query",
    input: (f, target) => ({ teamId: f.orgs[target].teamId, days: 30 }),
    expect: onTeam(teamViewers),
  },
  {
    path: "teams.spendReport",
    type: "query",
    input: (f, target) => ({
      from: "2026-01-01",
      to: "2026-01-31",
      organizationId: f.orgs[target].organizationId,
    }),
    expect: orgAdmins,
  },

  // Blocks: a team is cut off by system admins and its organization's admins (a
  // team of its own per cell: a blocked team refuses new keys); a key also by the team's ADMIN.
  {
    path: "teams.block",
    type: "mutation",
    input: async (f, target, unique) => ({
      teamId: await f.make.team(target, unique),
      reason: "matrix",
    }),
    expect: onTeam(orgAdmins),
  },
  {
    path: "teams.unblock",
    type: "mutation",
    input: async (f, target, unique) => ({ teamId: await f.make.team(target, unique) }),
    expect: onTeam(orgAdmins),
  },
  {
    path: "keys.block",
    type: "mutation",
    input: async (f, target, unique) => ({ keyId: await f.make.key(target, unique) }),
    expect: onTeam(teamManagers),
  },
  {
    path: "keys.unblock",
    type: "mutation",
    input: async (f, target, unique) => ({ keyId: await f.make.key(target, unique) }),
    expect: onTeam(teamManagers),
  },
  // A key handed to a current member of its team (its creator left): whoever may block it.
  {
    path: "keys.transfer",
    type: "mutation",
    input: async (f, target, unique) => ({
      keyId: await f.make.key(target, unique),
      toUserId: await f.make.teamMember(target, unique),
    }),
    expect: onTeam(teamManagers),
  },
  {
    path: "keys.transfer",
    variant: "to someone outside the team",
    type: "mutation",
    // Allowed callers learn only that the target is not a member (404 on toUserId).
    input: async (f, target, unique) => ({
      keyId: await f.make.key(target, unique),
      toUserId: await f.make.orgMember(target, unique),
    }),
    expect: {
      ...onTeam(teamManagers),
      teamAdmin: 404,
      orgAdminA: 404,
      systemAdmin: 404,
      adminToken: 404,
      orgTokenA: 404,
    },
  },

  // API keys: created and deleted by the team's ADMIN (or KEY_CREATOR) and system admins;
  // org admins may only view them, and so may org-scoped tokens.
  {
    path: "keys.create",
    type: "mutation",
    input: (f, target, unique) => ({
      teamId: f.orgs[target].teamId,
      name: `key ${unique}`,
      regionId: f.regionId,
    }),
    expect: onTeam({ ...adminOnly(), teamAdmin: "ok" }),
  },
  {
    path: "keys.list",
    type: "query",
    input: (f, target) => ({ teamId: f.orgs[target].teamId }),
    expect: onTeam(teamViewers),
  },
  {
    path: "keys.delete",
    type: "mutation",
    // 403 for those who see the team's keys but may not delete them; 404 for org A's
    // admin on org B's key (an existence oracle otherwise).
    input: async (f, target, unique) => ({ keyId: await f.make.key(target, unique) }),
    expect: onTeam({ ...adminOnly(), teamAdmin: "ok" }),
  },
  // Rotation: whoever may delete the team's keys may give one a new secret.
  {
    path: "keys.rotate",
    type: "mutation",
    input: async (f, target, unique) => ({
      keyId: await f.make.key(target, unique),
      overlapHours: 1,
    }),
    expect: onTeam({ ...adminOnly(), teamAdmin: "ok" }),
  },
  // A scheduled rotation's secret, once: the same callers; a key without one is 412.
  {
    path: "keys.revealSecret",
    type: "mutation",
    input: async (f, target, unique) => ({ keyId: await f.make.key(target, unique) }),
    expect: onTeam({
      ...adminOnly(),
      teamAdmin: 412,
      systemAdmin: 412,
      adminToken: 412,
    }),
  },

  // A key's detail is for whoever sees the team's keys; its limits and expiry for whoever
  // may create and delete them.
  {
    path: "keys.get",
    type: "query",
    input: async (f, target, unique) => ({ keyId: await f.make.key(target, unique) }),
    expect: onTeam(teamViewers),
  },
  {
    path: "keys.update",
    type: "mutation",
    input: async (f, target, unique) => ({
      keyId: await f.make.key(target, unique),
      limits: { rpmLimit: 5 },
    }),
    expect: onTeam({ ...adminOnly(), teamAdmin: "ok" }),
  },
  {
    path: "keys.extend",
    type: "mutation",
    input: async (f, target, unique) => ({
      keyId: await f.make.key(target, unique),
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    }),
    expect: onTeam({ ...adminOnly(), teamAdmin: "ok" }),
  },

  // Audit log: admins, and org admins for their organizations' events.
  {
    path: "audit.list",
    type: "query",
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId }),
    expect: orgAdmins,
  },
  // The outbox: system admins only (its mails carry invitation and reset links).
  { path: "outbox.list", type: "query", input: () => ({}), expect: adminOnly() },
  {
    path: "outbox.get",
    type: "query",
    input: async (f, _target, unique) => ({ mailId: await f.make.mail(unique) }),
    expect: adminOnly(),
  },
  // Webhooks: an organization's endpoints are its admins' (anyone else's, and global ones,
  // do not exist for them: 404); global ones system admins'. Secrets only from create and
  // rotateSecret, to whoever may manage the endpoint.
  {
    path: "webhooks.create",
    type: "mutation",
    input: (f, target) => ({
      organizationId: f.orgs[target].organizationId,
      url: "https://hooks.example.com/in",
      eventTypes: ["budget.threshold"],
    }),
    expect: orgAdmins,
  },
  {
    path: "webhooks.create",
    variant: "a global endpoint",
    type: "mutation",
    input: () => ({ url: "https://hooks.example.com/ops", eventTypes: ["jobs.failing"] }),
    expect: adminOnly(),
  },
  {
    path: "webhooks.list",
    type: "query",
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId }),
    expect: orgAdmins,
  },
  {
    path: "webhooks.list",
    variant: "the global endpoints",
    type: "query",
    input: () => ({}),
    expect: adminOnly(),
  },
  ...(["update", "delete", "rotateSecret", "sendTest", "deliveries"] as const).flatMap(
    (verb): MatrixRow[] => {
      const type = verb === "deliveries" ? "query" : "mutation";
      const extra = verb === "update" ? { eventTypes: ["test", "team.blocked"] } : {};
      return [
        {
          path: `webhooks.${verb}`,
          type,
          input: async (f, target, unique) => ({
            webhookId: await f.make.webhook(target, unique),
            ...extra,
          }),
          expect: onWebhook,
        },
        {
          path: `webhooks.${verb}`,
          variant: "a global endpoint",
          type,
          input: async (f, _target, unique) => ({
            webhookId: await f.make.globalWebhook(unique),
            ...extra,
          }),
          expect: adminOnly(404),
        },
      ];
    },
  ),
  // A person's own notifications and opt-outs: every person, never a service token (it has
  // none). Others' notifications are never reachable: markRead ignores their ids
  // (notifications/inbox.test.ts).
  { path: "notifications.list", type: "query", input: () => ({}), expect: peopleOnly },
  {
    path: "notifications.markRead",
    type: "mutation",
    input: () => ({ ids: [crypto.randomUUID()] }),
    expect: peopleOnly,
  },
  {
    path: "notifications.getPreferences",
    type: "query",
    input: () => undefined,
    expect: peopleOnly,
  },
  {
    path: "notifications.updatePreferences",
    type: "mutation",
    input: () => ({ emailOptOuts: ["key.unblocked"] }),
    expect: peopleOnly,
  },
  // An organization's alert settings: its admins and system admins.
  {
    path: "alerts.getSettings",
    type: "query",
    input: (f, target) => ({ organizationId: f.orgs[target].organizationId }),
    expect: orgAdmins,
  },
  {
    path: "alerts.updateSettings",
    type: "mutation",
    input: (f, target) => ({
      organizationId: f.orgs[target].organizationId,
      budgetThresholds: [50, 90],
      expiryWarningDays: [7],
      emailRecipients: { "budget.threshold": ["team_admins"] },
    }),
    expect: orgAdmins,
  },
];

/**
 * Inserts everything the matrix needs, straight through Prisma (no argon2 per user, no
 * HTTP). Orgs A and B each get a team, an org admin, a victim user with a live session
 * and a victim service token; the callers live in org A.
 */
export async function setupMatrixFixtures(h: Harness): Promise<MatrixFixtures> {
  const { db } = h;
  const login = { email: "login@matrix.example.com", password: "matrix login password" };
  // One real argon2id hash for every fixture user, so the leak scan would catch it. Cheap
  // parameters (verification reads them from the hash): the auth.login row verifies it
  // once per caller, and the production cost would dominate the matrix's run time.
  const passwordHash = await hash(login.password, {
    algorithm: 2,
    memoryCost: 1024,
    timeCost: 1,
    parallelism: 1,
  });
  const user = (email: string, isSystemAdmin = false) =>
    fx.insertUser(db, { email, isSystemAdmin, passwordHash });

  const victimEmail = { A: "victim-a@matrix.example.com", B: "victim-b@matrix.example.com" };
  const [
    systemAdmin,
    orgAdminA,
    orgAdminB,
    teamAdmin,
    member,
    victimA,
    victimB,
    ,
    demotedAdmin,
    disabledAdmin,
    demotedOrgAdmin,
  ] = await Promise.all([
    user("admin@matrix.example.com", true),
    user("org-admin-a@matrix.example.com"),
    user("org-admin-b@matrix.example.com"),
    user("team-admin@matrix.example.com"),
    user("member@matrix.example.com"),
    user(victimEmail.A),
    user(victimEmail.B),
    user(login.email),
    // Creators of tokens who have since lost the right the token was issued under.
    user("demoted-admin@matrix.example.com"),
    fx.insertUser(db, {
      email: "disabled-admin@matrix.example.com",
      isSystemAdmin: true,
      isActive: false,
      passwordHash,
    }),
    user("demoted-org-admin@matrix.example.com"),
  ]);

  const orgA = await fx.insertOrganization(db, "Matrix Org A");
  const orgB = await fx.insertOrganization(db, "Matrix Org B");
  const teamA = await fx.insertTeam(db, { name: "Matrix Team A", organizationId: orgA });
  const teamB = await fx.insertTeam(db, { name: "Matrix Team B", organizationId: orgB });

  await Promise.all([
    fx.addOrgMember(db, orgA, orgAdminA, "ORG_ADMIN"),
    fx.addOrgMember(db, orgA, teamAdmin, "MEMBER"),
    fx.addOrgMember(db, orgA, member, "MEMBER"),
    fx.addOrgMember(db, orgA, victimA, "MEMBER"),
    fx.addOrgMember(db, orgA, demotedOrgAdmin, "MEMBER"),
    fx.addOrgMember(db, orgB, orgAdminB, "ORG_ADMIN"),
    fx.addOrgMember(db, orgB, victimB, "MEMBER"),
    fx.addTeamMember(db, teamA, teamAdmin, "ADMIN"),
    fx.addTeamMember(db, teamA, member, "MEMBER"),
    fx.addTeamMember(db, teamA, victimA, "MEMBER"),
    fx.addTeamMember(db, teamB, orgAdminB, "ADMIN"),
    fx.addTeamMember(db, teamB, victimB, "MEMBER"),
  ]);

  const victimSessionA = await fx.insertSession(h, victimA);
  const victimSessionB = await fx.insertSession(h, victimB);
  const victimTokenA = await fx.insertServiceToken(db, { organizationId: orgA }, false, {
    createdById: orgAdminA,
  });
  const victimTokenB = await fx.insertServiceToken(db, { organizationId: orgB }, false, {
    createdById: orgAdminB,
  });
  const tokens = {
    admin: await fx.insertServiceToken(db, { admin: true }, false, { createdById: systemAdmin }),
    orgA: await fx.insertServiceToken(db, { organizationId: orgA }, false, {
      createdById: orgAdminA,
    }),
    revoked: await fx.insertServiceToken(db, { admin: true }, true, { createdById: systemAdmin }),
    adminDemotedCreator: await fx.insertServiceToken(db, { admin: true }, false, {
      createdById: demotedAdmin,
    }),
    adminDisabledCreator: await fx.insertServiceToken(db, { admin: true }, false, {
      createdById: disabledAdmin,
    }),
    orgADemotedCreator: await fx.insertServiceToken(db, { organizationId: orgA }, false, {
      createdById: demotedOrgAdmin,
    }),
  };

  // A region with a known master key (no procedure may ever return it), served by the
  // LiteLLM stand-in so keys.create really creates keys.
  const masterKey = "sk-matrix-master-key-0123456789abcdef";
  const litellm = await startContractServer({ masterKey });
  const region = await db.prisma.region.create({
    data: { name: "matrix region", litellmBaseUrl: litellm.url, litellmMasterKey: masterKey },
    select: { id: true },
  });

  const spareA = await fx.insertTeam(db, { name: "Matrix Spare A", organizationId: orgA });
  const spareB = await fx.insertTeam(db, { name: "Matrix Spare B", organizationId: orgB });
  const finishedMerge = (targetTeamId: string) =>
    db.prisma.teamMerge.create({
      data: {
        sourceTeamId: crypto.randomUUID(),
        targetTeamId,
        strategy: "cancel",
        status: "DONE",
        snapshot: {},
        completedAt: h.clock.now(),
      },
      select: { id: true },
    });
  const [mergeA, mergeB] = await Promise.all([finishedMerge(spareA), finishedMerge(spareB)]);

  const orgOf = { A: orgA, B: orgB };
  const teamOf = { A: teamA, B: teamB };
  // Its secret is a placeholder in the sealed format: the rows never open it.
  const insertProvider = async (organizationId: string | null, unique: string) => {
    const provider = await db.prisma.identityProvider.create({
      data: {
        organizationId,
        issuer: "https://idp.example.com",
        clientId: `client-${unique}`,
        clientSecretSealed: "v1.aaaa.bbbb.cccc",
        domains: [`${unique}.idp.example.com`],
      },
      select: { id: true },
    });
    return provider.id;
  };
  // Its secret is a placeholder in the sealed format: the rows never open it.
  const insertWebhookRow = async (organizationId: string | null) => {
    const webhook = await db.prisma.webhook.create({
      data: {
        organizationId,
        url: "https://hooks.example.com/in",
        eventTypes: ["test"],
        secretSealed: MATRIX_WEBHOOK_SECRET_SEALED,
      },
      select: { id: true },
    });
    return webhook.id;
  };
  const make: MatrixFactories = {
    user: (unique) =>
      fx.insertUser(db, { email: `fresh-${unique}@matrix.example.com`, passwordHash }),
    async orgMember(target, unique) {
      const userId = await make.user(unique);
      await fx.addOrgMember(db, orgOf[target], userId, "MEMBER");
      return userId;
    },
    async teamMember(target, unique) {
      const userId = await make.orgMember(target, unique);
      await fx.addTeamMember(db, teamOf[target], userId, "MEMBER");
      return userId;
    },
    async teamAdminMember(target, unique) {
      const userId = await make.orgMember(target, unique);
      await fx.addTeamMember(db, teamOf[target], userId, "ADMIN");
      return userId;
    },
    async team(target, unique) {
      const teamId = await fx.insertTeam(db, {
        name: `Fresh team ${unique}`,
        organizationId: orgOf[target],
      });
      if (target === "A") {
        await fx.addTeamMember(db, teamId, teamAdmin, "ADMIN");
        await fx.addTeamMember(db, teamId, member, "MEMBER");
      }
      return teamId;
    },
    async product(unique) {
      const product = await db.prisma.product.create({
        data: { name: `Fresh product ${unique}` },
        select: { id: true },
      });
      return product.id;
    },
    async attachedProduct(target, unique) {
      const productId = await make.product(unique);
      await db.prisma.teamProduct.create({ data: { teamId: teamOf[target], productId } });
      return productId;
    },
    async key(target, unique) {
      const key = await db.prisma.apiKey.create({
        data: {
          name: `fresh key ${unique}`,
          teamId: teamOf[target],
          regionId: region.id,
          litellmKeyId: `matrix-${unique}`,
          keyPrefix: "sk-gh-mat…",
        },
        select: { id: true },
      });
      return key.id;
    },
    async region(unique) {
      const created = await db.prisma.region.create({
        data: {
          name: `matrix ${unique}`,
          litellmBaseUrl: litellm.url,
          litellmMasterKey: masterKey,
        },
        select: { id: true },
      });
      return created.id;
    },
    async invitation(target, unique) {
      const token = newOpaqueToken(INVITATION_TOKEN_PREFIX);
      const now = h.clock.now();
      const created = await db.prisma.invitation.create({
        data: {
          email: `invited-${unique}@matrix.example.com`,
          organizationId: orgOf[target],
          orgRole: "MEMBER",
          teamId: teamOf[target],
          teamRole: "MEMBER",
          tokenHash: hashToken(token),
          createdAt: now,
          expiresAt: new Date(now.getTime() + 86_400_000),
        },
        select: { id: true },
      });
      return { id: created.id, token };
    },
    async resetToken(unique) {
      const userId = await make.user(`reset-${unique}`);
      const token = newOpaqueToken(PASSWORD_RESET_TOKEN_PREFIX);
      const now = h.clock.now();
      await db.prisma.passwordReset.create({
        data: {
          email: `fresh-reset-${unique}@matrix.example.com`,
          userId,
          tokenHash: hashToken(token),
          requestedAt: now,
          processedAt: now,
          expiresAt: new Date(now.getTime() + 600_000),
        },
      });
      return token;
    },
    async mail(unique) {
      const created = await db.prisma.mail.create({
        data: {
          purpose: "test",
          toAddress: `matrix-${unique}@mail.test`,
          subject: `Matrix ${unique}`,
          textBody: "text",
          htmlBody: "<p>html</p>",
        },
        select: { id: true },
      });
      return created.id;
    },
    identityProvider: (target, unique) => insertProvider(orgOf[target], unique),
    globalIdentityProvider: (unique) => insertProvider(null, unique),
    webhook: (target) => insertWebhookRow(orgOf[target]),
    globalWebhook: () => insertWebhookRow(null),
  };

  return {
    make,
    orgs: {
      A: {
        organizationId: orgA,
        teamId: teamA,
        spareTeamId: spareA,
        mergeId: mergeA.id,
        victimUserId: victimA,
        victimEmail: victimEmail.A,
        victimSessionId: await fx.sessionIdOf(db, victimSessionA),
        victimServiceTokenId: await fx.serviceTokenIdOf(db, victimTokenA),
      },
      B: {
        organizationId: orgB,
        teamId: teamB,
        spareTeamId: spareB,
        mergeId: mergeB.id,
        victimUserId: victimB,
        victimEmail: victimEmail.B,
        victimSessionId: await fx.sessionIdOf(db, victimSessionB),
        victimServiceTokenId: await fx.serviceTokenIdOf(db, victimTokenB),
      },
    },
    userIds: { member, teamAdmin, orgAdminA, systemAdmin },
    regionId: region.id,
    tokens,
    login,
    close: () => litellm.stop(),
    secrets: [
      passwordHash,
      masterKey,
      CREATED_REGION_MASTER_KEY,
      MATRIX_CLIENT_SECRET,
      MATRIX_WEBHOOK_SECRET_SEALED,
      victimSessionA,
      victimSessionB,
      victimTokenA,
      victimTokenB,
      ...Object.values(tokens),
    ],
  };
}
