/**
 * What a merge decision reads: both teams with their counts, the source's keys (with each
 * key's owner on its proxy), both member lists, the source's active products and the
 * regions of its keys. The merge reads them after locking both teams; the preview without.
 */
import { LITELLM_LEFT_OWNER, notFound, type TeamRole } from "@gatehouse/core";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

type Db = Prisma.TransactionClient | PrismaClient;

export interface MergeTeamFacts {
  id: string;
  name: string;
  organizationId: string | null;
  organizationName: string | null;
  membersCount: number;
  keysCount: number;
}

export interface MergeFacts {
  source: MergeTeamFacts;
  target: MergeTeamFacts;
  sourceKeys: Array<{
    id: string;
    name: string;
    regionId: string;
    litellmKeyId: string | null;
    creatorId: string | null;
    /**
     * The key's owner on its proxy: its creator, or core's LITELLM_LEFT_OWNER once the
     * creator left the team (`owner_left`; teams/leave.ts detached it), so a merge does not
     * make someone who left a member of the target's LiteLLM team.
     */
    proxyOwnerId: string | null;
  }>;
  targetKeys: Array<{ id: string; name: string }>;
  sourceMembers: Array<{ userId: string; email: string; role: TeamRole }>;
  targetMembers: Array<{ userId: string; email: string; role: TeamRole }>;
  sourceActiveProducts: Array<{ id: string; name: string }>;
  regions: Map<string, { name: string; isActive: boolean }>;
}

/**
 * One team with its counts, by hand: Prisma's relation `_count` (batched for two teams into
 * one query) groups the whole team_members and api_keys tables, which at a million teams
 * costs about a second per merge, inside the transaction that holds the locks.
 */
async function teamFacts(db: Db, id: string): Promise<MergeTeamFacts | null> {
  const [team] = await db.$queryRaw<MergeTeamFacts[]>`
    SELECT t.id::text, t.name, t.organization_id::text AS "organizationId", o.name AS "organizationName",
           (SELECT count(*) FROM team_members m WHERE m.team_id = t.id)::int AS "membersCount",
           (SELECT count(*) FROM api_keys k WHERE k.team_id = t.id)::int AS "keysCount"
      FROM teams t LEFT JOIN organizations o ON o.id = t.organization_id
     WHERE t.id = ${id}::uuid`;
  return team ?? null;
}

/**
 * Everything a merge decision needs. Inside the merge it runs after both teams are locked.
 * Queries run one after another: a transaction is one connection, and pg deprecates
 * overlapping queries on one client.
 */
export async function loadMergeFacts(
  db: Db,
  sourceTeamId: string,
  targetTeamId: string,
): Promise<MergeFacts> {
  const source = await teamFacts(db, sourceTeamId);
  const target = await teamFacts(db, targetTeamId);
  if (!source) throw notFound("Source team", { field: "sourceTeamId" });
  if (!target) throw notFound("Target team", { field: "targetTeamId" });
  // Raw SQL for the per-key and per-member lists: a merge of 10,000 keys and 5,000 members
  // spent over a second materializing them through Prisma's model queries (and a users
  // lookup with one bind parameter per member), inside the transaction that holds the locks.
  type MemberRow = { userId: string; email: string; role: TeamRole };
  const members = (teamId: string) => db.$queryRaw<MemberRow[]>`
    SELECT m.user_id::text AS "userId", u.email, m.role::text AS role
      FROM team_members m JOIN users u ON u.id = m.user_id
     WHERE m.team_id = ${teamId}::uuid`;
  const sourceKeys = await db.$queryRaw<MergeFacts["sourceKeys"]>`
      SELECT k.id::text, k.name, k.region_id::text AS "regionId", k.litellm_key_id AS "litellmKeyId",
             k.creator_id::text AS "creatorId",
             CASE WHEN EXISTS (SELECT 1 FROM api_key_blocks b
                                WHERE b.api_key_id = k.id AND b.reason = 'owner_left')
                  THEN ${LITELLM_LEFT_OWNER} ELSE k.creator_id::text END AS "proxyOwnerId"
        FROM api_keys k WHERE k.team_id = ${sourceTeamId}::uuid`;
  const targetKeys = await db.$queryRaw<
    MergeFacts["targetKeys"]
  >`SELECT id::text, name FROM api_keys WHERE team_id = ${targetTeamId}::uuid`;
  const sourceMembers = await members(sourceTeamId);
  const targetMembers = await members(targetTeamId);
  const products = await db.teamProduct.findMany({
    where: { teamId: sourceTeamId, status: "ACTIVE" },
    select: { product: { select: { id: true, name: true } } },
  });
  const regionIds = [...new Set(sourceKeys.map((k) => k.regionId))];
  const regions = regionIds.length
    ? await db.region.findMany({
        where: { id: { in: regionIds } },
        select: { id: true, name: true, isActive: true },
      })
    : [];
  return {
    source,
    target,
    sourceKeys,
    targetKeys,
    sourceMembers,
    targetMembers,
    sourceActiveProducts: products.map((p) => p.product),
    regions: new Map(regions.map((r) => [r.id, { name: r.name, isActive: r.isActive }])),
  };
}
