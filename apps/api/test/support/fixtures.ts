/**
 * Fixtures written straight to the database (fast: no argon2, no HTTP): people, sessions,
 * service tokens, organizations, teams, memberships, regions. Tests that are about creating
 * these go through the API instead.
 */
import type { TestDatabase } from "@gatehouse/db/testing";
import {
  hashToken,
  newOpaqueToken,
  SERVICE_TOKEN_PREFIX,
  SESSION_TOKEN_PREFIX,
} from "../../src/auth/tokens.ts";
import type { Harness } from "./harness.ts";
import type { Credentials } from "./http.ts";

/** The master key of every contract server and region a test makes. */
export const LITELLM_MASTER_KEY = "sk-test-master-gatehouse-1";

export async function insertUser(
  db: TestDatabase,
  data: {
    email: string;
    name?: string;
    isSystemAdmin?: boolean;
    isActive?: boolean;
    passwordHash?: string;
  },
): Promise<string> {
  const user = await db.prisma.user.create({
    data: {
      email: data.email,
      name: data.name ?? data.email.split("@")[0]!,
      passwordHash: data.passwordHash ?? "not-a-real-hash",
      isSystemAdmin: data.isSystemAdmin ?? false,
      isActive: data.isActive ?? true,
    },
    select: { id: true },
  });
  return user.id;
}

/** A live session for a user, as if they had logged in at `now`; returns the cookie token. */
export async function insertSession(
  h: Harness,
  userId: string,
  overrides: { idleExpiresAt?: Date; absoluteExpiresAt?: Date; revokedAt?: Date | null } = {},
): Promise<string> {
  const now = h.clock.now();
  const user = await h.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const idle = user.isSystemAdmin ? h.config.session.adminIdleMs : h.config.session.userIdleMs;
  const token = newOpaqueToken(SESSION_TOKEN_PREFIX);
  await h.db.prisma.session.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: overrides.idleExpiresAt ?? new Date(now.getTime() + idle),
      absoluteExpiresAt:
        overrides.absoluteExpiresAt ?? new Date(now.getTime() + h.config.session.absoluteMs),
      revokedAt: overrides.revokedAt ?? null,
    },
  });
  return token;
}

/**
 * A service token. A token acts with at most its creator's current rights, so it needs
 * one: `createdById`, or else a fresh active system admin made for it (who can back
 * either scope). Pass the creator when the test is about that person's rights.
 */
export async function insertServiceToken(
  db: TestDatabase,
  scope: { admin: true } | { organizationId: string },
  revoked = false,
  options: { createdById?: string; name?: string } = {},
): Promise<string> {
  const token = newOpaqueToken(SERVICE_TOKEN_PREFIX);
  const createdById =
    options.createdById ??
    (await insertUser(db, {
      email: `token-creator-${crypto.randomUUID()}@tokens.test`,
      isSystemAdmin: true,
    }));
  await db.prisma.serviceToken.create({
    data: {
      name: options.name ?? "test token",
      tokenHash: hashToken(token),
      scope: "admin" in scope ? "ADMIN" : "ORGANIZATION",
      organizationId: "admin" in scope ? null : scope.organizationId,
      revokedAt: revoked ? new Date() : null,
      createdById,
    },
  });
  return token;
}

export async function insertOrganization(db: TestDatabase, name: string): Promise<string> {
  const org = await db.prisma.organization.create({ data: { name }, select: { id: true } });
  return org.id;
}

export async function insertTeam(
  db: TestDatabase,
  data: { name: string; organizationId: string | null },
): Promise<string> {
  const team = await db.prisma.team.create({ data, select: { id: true } });
  return team.id;
}

export async function addOrgMember(
  db: TestDatabase,
  organizationId: string,
  userId: string,
  role: "ORG_ADMIN" | "MEMBER",
): Promise<void> {
  await db.prisma.organizationMember.create({ data: { organizationId, userId, role } });
}

export async function addTeamMember(
  db: TestDatabase,
  teamId: string,
  userId: string,
  role: "ADMIN" | "MEMBER" | "KEY_CREATOR" | "READ_ONLY",
): Promise<void> {
  await db.prisma.teamMember.create({ data: { teamId, userId, role } });
}

/** The row id behind a session cookie token (tests hold tokens, procedures take ids). */
export async function sessionIdOf(db: TestDatabase, token: string): Promise<string> {
  const row = await db.prisma.session.findUniqueOrThrow({
    where: { tokenHash: hashToken(token) },
    select: { id: true },
  });
  return row.id;
}

/** The row id behind a service token secret. */
export async function serviceTokenIdOf(db: TestDatabase, token: string): Promise<string> {
  const row = await db.prisma.serviceToken.findUniqueOrThrow({
    where: { tokenHash: hashToken(token) },
    select: { id: true },
  });
  return row.id;
}

export async function insertRegion(
  db: TestDatabase,
  data: { name: string; url: string; masterKey?: string; isActive?: boolean },
): Promise<{ id: string; name: string }> {
  return db.prisma.region.create({
    data: {
      name: data.name,
      litellmBaseUrl: data.url,
      litellmMasterKey: data.masterKey ?? LITELLM_MASTER_KEY,
      isActive: data.isActive ?? true,
    },
    select: { id: true, name: true },
  });
}

/** A user with a live session; returns the id and ready-to-use credentials. */
export async function insertUserWithSession(
  h: Harness,
  data: { email: string; isSystemAdmin?: boolean },
): Promise<{ id: string; creds: Credentials }> {
  const id = await insertUser(h.db, data);
  return { id, creds: { cookie: await insertSession(h, id) } };
}

/**
 * Many live sessions in one round trip (the authorization matrix needs a fresh one per
 * cell). Same defaults as `insertSession`; returns the cookie tokens in request order.
 */
export async function insertSessions(
  h: Harness,
  requests: readonly { userId: string; idleExpiresAt?: Date; revokedAt?: Date | null }[],
): Promise<string[]> {
  const now = h.clock.now();
  const admins = new Set(
    (
      await h.db.prisma.user.findMany({
        where: { id: { in: [...new Set(requests.map((r) => r.userId))] }, isSystemAdmin: true },
        select: { id: true },
      })
    ).map((u) => u.id),
  );
  const tokens = requests.map(() => newOpaqueToken(SESSION_TOKEN_PREFIX));
  await h.db.prisma.session.createMany({
    data: requests.map((r, i) => {
      const idle = admins.has(r.userId)
        ? h.config.session.adminIdleMs
        : h.config.session.userIdleMs;
      return {
        tokenHash: hashToken(tokens[i]!),
        userId: r.userId,
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: r.idleExpiresAt ?? new Date(now.getTime() + idle),
        absoluteExpiresAt: new Date(now.getTime() + h.config.session.absoluteMs),
        revokedAt: r.revokedAt ?? null,
      };
    }),
  });
  return tokens;
}

export interface Person {
  id: string;
  email: string;
  creds: Credentials;
}

/**
 * A maker of people, each a user with a fresh session and a unique email at `domain`
 * (`prefix-1@domain`, `prefix-2@domain`, ...), so tests sharing one database never collide.
 */
export type PersonMaker = (
  prefix: string,
  options?: { isSystemAdmin?: boolean; email?: string },
) => Promise<Person>;

export function people(h: Harness, domain: string): PersonMaker {
  let counter = 0;
  return async (prefix, options = {}) => {
    const email = options.email ?? `${prefix}-${++counter}@${domain}`;
    const id = await insertUser(h.db, { email, isSystemAdmin: options.isSystemAdmin ?? false });
    return { id, email, creds: { cookie: await insertSession(h, id) } };
  };
}

let nameCounter = 0;
/** A name no other call in this process returns (`prefix-1`, `prefix-2`, ...). */
export const uniqueName = (prefix: string): string => `${prefix}-${++nameCounter}`;

/** The role `userId` holds in `teamId` now (throws when they are not a member). */
export async function teamRoleOf(
  db: TestDatabase,
  teamId: string,
  userId: string,
): Promise<string> {
  const member = await db.prisma.teamMember.findUniqueOrThrow({
    where: { teamId_userId: { teamId, userId } },
  });
  return member.role;
}
