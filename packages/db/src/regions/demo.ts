/**
 * What the demo needs to put a region's state back into its in-memory LiteLLM contract
 * server after a restart (apps/api demo.ts).
 */
import type { Database } from "../client.ts";
import { enqueueTeamStateJobs } from "../jobs/enqueue.ts";
import { keysBlockReasons } from "../keys/block-state.ts";

export interface RegionKeyToRehydrate {
  id: string;
  name: string;
  teamId: string;
  teamName: string;
  creatorId: string | null;
  litellmKeyId: string | null;
  /** Whether any block reason holds the key. */
  blocked: boolean;
}

export async function regionKeysToRehydrate(
  db: Pick<Database, "prisma" | "pool">,
  regionId: string,
): Promise<RegionKeyToRehydrate[]> {
  const keys = await db.prisma.apiKey.findMany({
    where: { regionId },
    select: {
      id: true,
      name: true,
      teamId: true,
      creatorId: true,
      litellmKeyId: true,
      team: { select: { name: true } },
    },
  });
  const blocks = await keysBlockReasons(
    db.pool,
    keys.map((k) => k.id),
  );
  return keys.map(({ team, ...key }) => ({
    ...key,
    teamName: team.name,
    blocked: (blocks.get(key.id)?.length ?? 0) > 0,
  }));
}

/** Records the LiteLLM id given to a key that was never created on a proxy (seeded keys). */
export async function setKeyLitellmId(
  db: Pick<Database, "prisma">,
  keyId: string,
  litellmKeyId: string,
): Promise<void> {
  await db.prisma.apiKey.update({ where: { id: keyId }, data: { litellmKeyId } });
}

/** Queues the push of every team's limits and block state to the region's proxy. */
export async function enqueueAllTeamsState(
  db: Pick<Database, "prisma">,
  regionId: string,
): Promise<void> {
  const teams = await db.prisma.team.findMany({ select: { id: true } });
  await db.prisma.$transaction((tx) =>
    enqueueTeamStateJobs(
      tx,
      teams.map((t) => t.id),
      regionId,
    ),
  );
}

export interface DemoTeamSpendFacts {
  id: string;
  name: string;
  createdAt: Date;
  /** The region's latest spend reading of the team (team_spend), null when never read. */
  readingUsd: number | null;
}

/**
 * Every team with what the demo plants as its spend on the demo proxy: a team Gatehouse
 * already read keeps that counter after a restart, as a persistent proxy would.
 */
export async function demoTeamsSpendFacts(
  db: Pick<Database, "pool">,
  regionId: string,
): Promise<DemoTeamSpendFacts[]> {
  const { rows } = await db.pool.query<{
    id: string;
    name: string;
    created_at: Date;
    reading: string | null;
  }>(
    `SELECT t.id::text, t.name, t.created_at, s.spend_usd::text AS reading
       FROM teams t LEFT JOIN team_spend s ON s.team_id = t.id AND s.region_id = $1::uuid
      ORDER BY t.created_at, t.id`,
    [regionId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    readingUsd: r.reading === null ? null : Number(r.reading),
  }));
}
