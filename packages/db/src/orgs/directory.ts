/**
 * Organizations as the API lists and shows them: a page with counts for that page only, and
 * one organization with its members (capped) and its spend.
 */
import type { OrgRole } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { organizationSpend } from "../spend/index.ts";
import type { Tx } from "../transaction.ts";

export interface OrganizationRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export async function findOrganizationIdByName(tx: Tx, name: string): Promise<string | null> {
  const org = await tx.organization.findUnique({ where: { name }, select: { id: true } });
  return org?.id ?? null;
}

export async function organizationExists(tx: Tx, organizationId: string): Promise<boolean> {
  const org = await tx.organization.findUnique({
    where: { id: organizationId },
    select: { id: true },
  });
  return org !== null;
}

export function insertOrganization(
  tx: Tx,
  org: { name: string; createdAt: Date },
): Promise<OrganizationRecord> {
  return tx.organization.create({ data: org });
}

/** The user's role in the organization (null: not a member). */
export async function findOrgRole(
  db: Pick<Database, "prisma">,
  organizationId: string,
  userId: string,
): Promise<OrgRole | null> {
  const member = await db.prisma.organizationMember.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true },
  });
  return member?.role ?? null;
}

export interface OrganizationDetail extends OrganizationRecord {
  teamsCount: number;
  membersCount: number;
  /** Its first 1,000 members by email. */
  members: {
    userId: string;
    email: string;
    name: string;
    role: OrgRole;
    isActive: boolean;
    /** Hand-made, or made by the group sync of a single sign-on. */
    source: "MANUAL" | "SSO";
  }[];
  /** Members (but system admins) sign in only by single sign-on. */
  ssoEnforced: boolean;
  /** Its teams' latest spend summed (null while none was read) and the oldest reading in it. */
  spend: { totalUsd: number | null; asOf: Date | null };
}

export async function findOrganizationDetail(
  db: Pick<Database, "prisma" | "pool">,
  organizationId: string,
): Promise<OrganizationDetail | null> {
  const org = await db.prisma.organization.findUnique({
    where: { id: organizationId },
    include: {
      members: {
        include: { user: { select: { email: true, name: true, isActive: true } } },
        orderBy: { user: { email: "asc" } },
        take: 1000,
      },
      _count: { select: { teams: true, members: true } },
    },
  });
  if (!org) return null;
  const spend = await organizationSpend(db, org.id);
  return {
    id: org.id,
    name: org.name,
    createdAt: org.createdAt,
    ssoEnforced: org.ssoEnforced,
    teamsCount: org._count.teams,
    membersCount: org._count.members,
    spend,
    members: org.members.map((m) => ({
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      isActive: m.user.isActive,
      source: m.source,
    })),
  };
}

export interface OrganizationPageQuery {
  /** Which organizations: all, those this user belongs to, or these ids. */
  scope: { all: true } | { memberId: string } | { ids: readonly string[] };
  /** Part of the name, any case. */
  search?: string | undefined;
  skip: number;
  take: number;
}

export interface OrganizationPageRow extends OrganizationRecord {
  teamsCount: number;
  membersCount: number;
  /** The role of `roleOf` here (null: not a member, or no `roleOf`). */
  role: OrgRole | null;
}

/** A page of organizations by name, how many match, and the counts of this page's only. */
export async function listOrganizationsPage(
  db: Pick<Database, "prisma">,
  query: OrganizationPageQuery,
  roleOf: string | null,
): Promise<{ total: number; organizations: OrganizationPageRow[] }> {
  const { scope } = query;
  const scoped: Prisma.OrganizationWhereInput =
    "all" in scope
      ? {}
      : "memberId" in scope
        ? { members: { some: { userId: scope.memberId } } }
        : { id: { in: [...scope.ids] } };
  const where: Prisma.OrganizationWhereInput = {
    ...scoped,
    ...(query.search ? { name: { contains: query.search, mode: "insensitive" } } : {}),
  };
  const [total, orgs] = await Promise.all([
    db.prisma.organization.count({ where }),
    db.prisma.organization.findMany({
      where,
      orderBy: { name: "asc" },
      skip: query.skip,
      take: query.take,
      select: { id: true, name: true, createdAt: true },
    }),
  ]);
  const ids = orgs.map((o) => o.id);
  // Counts for this page's organizations only.
  const [teamCounts, memberCounts, mine] = await Promise.all([
    db.prisma.team.groupBy({
      by: ["organizationId"],
      where: { organizationId: { in: ids } },
      _count: true,
    }),
    db.prisma.organizationMember.groupBy({
      by: ["organizationId"],
      where: { organizationId: { in: ids } },
      _count: true,
    }),
    roleOf
      ? db.prisma.organizationMember.findMany({
          where: { userId: roleOf, organizationId: { in: ids } },
        })
      : Promise.resolve([]),
  ]);
  const teamsBy = new Map(teamCounts.map((c) => [c.organizationId, c._count]));
  const membersBy = new Map(memberCounts.map((c) => [c.organizationId, c._count]));
  const roleBy = new Map(mine.map((m) => [m.organizationId, m.role]));
  return {
    total,
    organizations: orgs.map((o) => ({
      ...o,
      teamsCount: teamsBy.get(o.id) ?? 0,
      membersCount: membersBy.get(o.id) ?? 0,
      role: roleBy.get(o.id) ?? null,
    })),
  };
}
