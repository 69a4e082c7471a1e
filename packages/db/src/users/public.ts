/**
 * Users as procedures may return them (never the password hash), created, read and changed.
 */
import type { UserVisibility } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";

/** The only columns of a user a procedure may return: never the password hash. */
const userPublicSelect = {
  id: true,
  email: true,
  name: true,
  isSystemAdmin: true,
  isActive: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  isSystemAdmin: boolean;
  isActive: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** The people a caller may see (core userVisibility), as a filter on users. */
function visibleUsersWhere(visibility: UserVisibility): Prisma.UserWhereInput {
  switch (visibility.kind) {
    case "everyone":
      return {};
    case "sharesOrganizationWith":
      return {
        orgMemberships: {
          some: { organization: { members: { some: { userId: visibility.userId } } } },
        },
      };
    case "membersOf":
      return {
        orgMemberships: { some: { organizationId: { in: [...visibility.organizationIds] } } },
      };
  }
}

/** The id of the user with this email, if any (emails are unique). */
export async function findUserIdByEmail(tx: Tx, email: string): Promise<string | null> {
  const user = await tx.user.findUnique({ where: { email }, select: { id: true } });
  return user?.id ?? null;
}

/** Whether another user than `userId` has this email. */
export async function emailTakenByOther(tx: Tx, email: string, userId: string): Promise<boolean> {
  const taken = await tx.user.findFirst({
    where: { email, NOT: { id: userId } },
    select: { id: true },
  });
  return taken !== null;
}

export interface NewUser {
  email: string;
  name: string;
  /** Null: the account signs in by single sign-on only. */
  passwordHash: string | null;
  isSystemAdmin: boolean;
  createdAt: Date;
}

export function insertUser(tx: Tx, user: NewUser): Promise<PublicUser> {
  return tx.user.create({ data: user, select: userPublicSelect });
}

export interface UserChanges {
  name?: string | undefined;
  email?: string | undefined;
  isSystemAdmin?: boolean | undefined;
  isActive?: boolean | undefined;
  passwordHash?: string | undefined;
}

/** Writes the given fields (an undefined one stays as it is). */
export function updateUserFields(
  tx: Tx,
  userId: string,
  changes: UserChanges,
): Promise<PublicUser> {
  return tx.user.update({
    where: { id: userId },
    data: {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.isSystemAdmin !== undefined ? { isSystemAdmin: changes.isSystemAdmin } : {}),
      ...(changes.isActive !== undefined ? { isActive: changes.isActive } : {}),
      ...(changes.passwordHash ? { passwordHash: changes.passwordHash } : {}),
    },
    select: userPublicSelect,
  });
}

export interface UserPageQuery {
  /** Members of these organizations only; null: everyone. */
  organizationIds: readonly string[] | null;
  /** Part of the email or the name, any case. */
  search?: string | undefined;
  skip: number;
  take: number;
}

/** A page of users by email, and how many match. */
export async function listUsersPage(
  db: Pick<Database, "prisma">,
  query: UserPageQuery,
): Promise<{ total: number; users: PublicUser[] }> {
  const where: Prisma.UserWhereInput = {
    ...(query.organizationIds
      ? { orgMemberships: { some: { organizationId: { in: [...query.organizationIds] } } } }
      : {}),
    ...(query.search
      ? {
          OR: [
            { email: { contains: query.search, mode: "insensitive" } },
            { name: { contains: query.search, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const [total, users] = await Promise.all([
    db.prisma.user.count({ where }),
    db.prisma.user.findMany({
      where,
      select: userPublicSelect,
      orderBy: [{ email: "asc" }],
      skip: query.skip,
      take: query.take,
    }),
  ]);
  return { total, users };
}

/** The active user with this exact email, if the caller may see them. */
export function findVisibleActiveUser(
  db: Pick<Database, "prisma">,
  email: string,
  visibility: UserVisibility,
): Promise<{ id: string; email: string; name: string } | null> {
  return db.prisma.user.findFirst({
    where: { email, isActive: true, ...visibleUsersWhere(visibility) },
    select: { id: true, email: true, name: true },
  });
}

/** Whether the user is a member of this organization or visible to the caller otherwise. */
export async function isMemberOrVisible(
  tx: Tx,
  userId: string,
  organizationId: string,
  visibility: UserVisibility,
): Promise<boolean> {
  const user = await tx.user.findFirst({
    where: {
      id: userId,
      OR: [{ orgMemberships: { some: { organizationId } } }, visibleUsersWhere(visibility)],
    },
    select: { id: true },
  });
  return user !== null;
}

/** Whether the user exists and is active (null: no such user). */
export async function userIsActive(tx: Tx, userId: string): Promise<boolean | null> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { isActive: true } });
  return user ? user.isActive : null;
}

/** Whether the user is the admin of some team (they may manage its members). */
export async function isSomeTeamAdmin(
  db: Pick<Database, "prisma">,
  userId: string,
): Promise<boolean> {
  const membership = await db.prisma.teamMember.findFirst({
    where: { userId, role: "ADMIN" },
    select: { teamId: true },
  });
  return membership !== null;
}

/** Emails of these users, by id (those that exist). */
export async function userEmails(
  db: Pick<Database, "prisma">,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  const users = await db.prisma.user.findMany({
    where: { id: { in: [...userIds] } },
    select: { id: true, email: true },
  });
  return new Map(users.map((u) => [u.id, u.email]));
}

export interface UserWithOrganizations extends PublicUser {
  organizations: { id: string; name: string; role: "ORG_ADMIN" | "MEMBER" }[];
}

/** A user and their organizations with their role there, by organization name. */
export async function findUserWithOrganizations(
  db: Pick<Database, "prisma">,
  userId: string,
): Promise<UserWithOrganizations> {
  const { orgMemberships, ...user } = await db.prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      ...userPublicSelect,
      orgMemberships: {
        select: { role: true, organization: { select: { id: true, name: true } } },
        orderBy: { organization: { name: "asc" } },
      },
    },
  });
  return {
    ...user,
    organizations: orgMemberships.map((m) => ({ ...m.organization, role: m.role })),
  };
}
