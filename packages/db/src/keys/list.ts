/**
 * keys.list's reads: one page of keys in the caller's scope, newest first, with each key's
 * latest proxy job, its spend, its block reasons, and for manually blocked keys who placed
 * the block and the facts core needs to say whether this caller may lift it.
 */
import type { TeamRole } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { KeyBlockReason, Prisma } from "../generated/prisma/client.ts";
import { latestKeyJobs, type JobStatusName } from "../jobs/index.ts";
import { keySpend } from "../spend/index.ts";
import { blockReasonsOfKeys, keyManualBlocks, type KeyManualBlockRow } from "./blocks.ts";
import { retiringSecretsOfKeys, type RetiringSecretRow } from "./rotation.ts";

/** Whose keys: one team's, every key, or those of some organizations' teams and a member's. */
export type KeyListScope =
  | { teamId: string }
  /** One key (keys.get; its access already checked). */
  | { keyId: string }
  | { all: true }
  | { organizationIds: readonly string[]; memberUserId: string | null };

/** A key as keys.list and keys.create show it. */
export interface KeyRow {
  id: string;
  name: string;
  teamId: string;
  regionId: string;
  keyPrefix: string;
  createdAt: Date;
  team: { name: string };
  region: { name: string };
  creator: { id: string; email: string } | null;
  /** The key's own limits as stored (core readKeyLimits); absent: none. */
  limits?: unknown;
  /** When the key stops working; null/absent: never. */
  expiresAt?: Date | null;
}

export interface KeyListPage {
  total: number;
  keys: KeyRow[];
  /** The latest job of each key that has one. */
  jobs: Map<string, { status: JobStatusName; lastError: string | null }>;
  /** The latest spend read of each key that has one. */
  spend: Map<string, { spendUsd: number; asOf: Date }>;
  /** Each blocked key's reasons. */
  reasons: Map<string, KeyBlockReason[]>;
  manualBlocks: KeyManualBlockRow[];
  /** Each rotating key's retiring secrets (a rotation's overlap). */
  retiring: Map<string, RetiringSecretRow[]>;
  /** The teams of manually blocked keys: their organization and the caller's role there. */
  blockedTeams: Map<string, { organizationId: string | null; callerRole: TeamRole | null }>;
}

const keyInclude = {
  team: { select: { name: true } },
  region: { select: { name: true } },
  creator: { select: { id: true, email: true } },
} as const;

function whereOf(scope: KeyListScope): Prisma.ApiKeyWhereInput {
  if ("teamId" in scope) return { teamId: scope.teamId };
  if ("keyId" in scope) return { id: scope.keyId };
  if ("all" in scope) return {};
  const scopes: Prisma.ApiKeyWhereInput[] = [];
  if (scope.organizationIds.length)
    scopes.push({ team: { organizationId: { in: [...scope.organizationIds] } } });
  if (scope.memberUserId !== null)
    scopes.push({ team: { members: { some: { userId: scope.memberUserId } } } });
  // No scope at all is nothing; the API refuses such callers before asking.
  return scopes.length ? { OR: scopes } : { id: { in: [] } };
}

export async function listKeys(
  db: Database,
  query: {
    scope: KeyListScope;
    offset: number;
    take: number;
    /** The caller, when a person: their role in the manually blocked keys' teams is read. */
    callerUserId: string | null;
  },
): Promise<KeyListPage> {
  const where = whereOf(query.scope);
  const [total, keys] = await Promise.all([
    db.prisma.apiKey.count({ where }),
    db.prisma.apiKey.findMany({
      where,
      include: keyInclude,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: query.offset,
      take: query.take,
    }),
  ]);
  const ids = keys.map((k) => k.id);
  const jobs = await latestKeyJobs(db.pool, ids);
  const spend = await keySpend(db, ids);
  const retiring = await retiringSecretsOfKeys(db, ids);
  const reasons = new Map<string, KeyBlockReason[]>();
  for (const b of await blockReasonsOfKeys(db.prisma, ids))
    reasons.set(b.apiKeyId, [...(reasons.get(b.apiKeyId) ?? []), b.reason]);
  // Read only for the teams of manually blocked keys.
  const manuallyBlocked = keys.filter((k) => reasons.get(k.id)?.includes("manual"));
  const blockedTeamIds = [...new Set(manuallyBlocked.map((k) => k.teamId))];
  const [teams, roles] = blockedTeamIds.length
    ? await Promise.all([
        db.prisma.team.findMany({
          where: { id: { in: blockedTeamIds } },
          select: { id: true, organizationId: true },
        }),
        query.callerUserId !== null
          ? db.prisma.teamMember.findMany({
              where: { userId: query.callerUserId, teamId: { in: blockedTeamIds } },
              select: { teamId: true, role: true },
            })
          : [],
      ])
    : [[], []];
  const orgOf = new Map(teams.map((t) => [t.id, t.organizationId]));
  const roleOf = new Map<string, TeamRole>(roles.map((r) => [r.teamId, r.role]));
  const manualBlocks = blockedTeamIds.length
    ? await keyManualBlocks(
        db.prisma,
        manuallyBlocked.map((k) => k.id),
      )
    : [];
  return {
    total,
    keys,
    jobs,
    spend,
    reasons,
    manualBlocks,
    retiring,
    blockedTeams: new Map(
      blockedTeamIds.map((id) => [
        id,
        { organizationId: orgOf.get(id) ?? null, callerRole: roleOf.get(id) ?? null },
      ]),
    ),
  };
}
