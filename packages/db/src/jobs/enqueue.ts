/**
 * Putting jobs on the queue, always inside the caller's transaction: the jobs exist iff the
 * change that needs them committed. Two ways in:
 * - enqueueJobs: specs built one by one (core's `jobs.*` constructors);
 * - enqueueForEach: one kind of job for a set of teams or keys named by a closed set of
 *   targets, as one INSERT ... SELECT however many there are (a product edit or a region
 *   coming back queues thousands).
 */
import { litellmTeamIdSql, type JobKind } from "@gatehouse/core";
import type { Prisma } from "../generated/prisma/client.ts";

export interface NewJob {
  kind: string;
  payload: Prisma.InputJsonValue;
  groupKey?: string | null;
  stage?: number;
  regionId?: string | null;
  mergeId?: string | null;
  apiKeyId?: string | null;
  maxAttempts?: number;
  runAt?: Date;
}

type Executor = Pick<Prisma.TransactionClient, "$executeRawUnsafe">;

export async function enqueueJobs(tx: Executor, jobs: readonly NewJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  // Set-based: the rows travel as one JSON document expanded by jsonb_to_recordset. A merge
  // enqueues one job per key; 10,000 rows through Prisma's createMany cost seconds (tens of
  // thousands of bind parameters, and JS-side work per value), and even seven array
  // parameters cost Prisma about twice what one text parameter does. One INSERT per shape
  // of row (whether maxAttempts / runAt are given), so the schema's defaults apply otherwise.
  let inserted = 0;
  for (const withMax of [false, true]) {
    for (const withRunAt of [false, true]) {
      const rows = jobs.filter(
        (j) => (j.maxAttempts !== undefined) === withMax && (j.runAt !== undefined) === withRunAt,
      );
      if (rows.length === 0) continue;
      const columns = [
        "kind text",
        "payload jsonb",
        "group_key text",
        "stage int",
        "region_id uuid",
        "merge_id uuid",
        "api_key_id uuid",
      ];
      if (withMax) columns.push("max_attempts int");
      if (withRunAt) columns.push("run_at timestamptz");
      const names = columns.map((c) => c.split(" ")[0]!);
      const document = JSON.stringify(
        rows.map((j) => ({
          kind: j.kind,
          payload: j.payload,
          group_key: j.groupKey ?? null,
          stage: j.stage ?? 0,
          region_id: j.regionId ?? null,
          merge_id: j.mergeId ?? null,
          api_key_id: j.apiKeyId ?? null,
          ...(withMax ? { max_attempts: j.maxAttempts } : {}),
          ...(withRunAt ? { run_at: j.runAt } : {}),
        })),
      );
      // Column names and types are the constants above; the rows are one bind parameter.
      inserted += await tx.$executeRawUnsafe(
        `INSERT INTO jobs (${names.join(", ")})
         SELECT ${names.map((n) => `x.${n}`).join(", ")}
           FROM jsonb_to_recordset($1::jsonb) AS x(${columns.join(", ")})`,
        document,
      );
    }
  }
  return inserted;
}

/** The team jobs that are queued for many teams at once; their handlers read the team's state. */
export type TeamSyncKind = Extract<JobKind, "litellm.pushEntitlement" | "litellm.syncTeamBlock">;

/** Which teams a set-based team job is for, and on which regions. */
export type TeamTarget =
  /** These teams, on every region (or on `regionId` only). */
  | { teamIds: readonly string[]; regionId?: string }
  /** The teams holding this product (active), on every region. */
  | { productId: string }
  /** The teams with keys in this region, on that region. */
  | { regionId: string };

/** Which keys a set-based key job is for (each on its own region; keys never on a proxy are skipped). */
export type KeyTarget =
  | { keyIds: readonly string[] }
  /** The keys a user created. */
  | { createdBy: string }
  /** The keys of a region that have any block reason. */
  | { blockedInRegion: string };

/**
 * A team sync job's payload in SQL, for the team in `<teams>.team_id` and the region in
 * `r`: the team's LiteLLM id (core litellmTeamIdSql) and its Gatehouse id. Handlers read the
 * current state at run time, so a repeated or reordered job converges.
 */
export function teamSyncPayloadSql(teams: TeamRelation): string {
  return `jsonb_build_object('teamId', ${litellmTeamIdSql("r.name", `${teams}.team_id`)}, 'gatehouseTeamId', ${teams}.team_id::text)`;
}

/** The relations (CTE names) set-based statements of this package queue team jobs from. */
export type TeamRelation = "s" | "c";

/**
 * `INSERT INTO jobs` of one `kind` job per team of `<teams>` (a relation with a `team_id`
 * column, `c`) and region, for the statements of this package that queue jobs in the same
 * statement as their change (the expiry sweep, a lapse): `FROM <cte> c` is appended by them.
 */
export function insertTeamJobsSql(kind: TeamSyncKind): string {
  return `INSERT INTO jobs (kind, payload, region_id)
     SELECT '${kind}', ${teamSyncPayloadSql("c")}, r.id`;
}

const TEAM_SYNC_KINDS: ReadonlySet<string> = new Set<TeamSyncKind>([
  "litellm.pushEntitlement",
  "litellm.syncTeamBlock",
]);

/**
 * Queues one `kind` job per member of `target`, as one INSERT ... SELECT. Team kinds get one
 * job per team and region (see TeamTarget), `litellm.syncKeyBlock` one per key on its
 * region (see KeyTarget). Returns how many jobs were queued.
 */
export async function enqueueForEach(
  tx: Executor,
  kind: TeamSyncKind,
  target: TeamTarget,
): Promise<number>;
export async function enqueueForEach(
  tx: Executor,
  kind: "litellm.syncKeyBlock",
  target: KeyTarget,
): Promise<number>;
export async function enqueueForEach(
  tx: Executor,
  kind: TeamSyncKind | "litellm.syncKeyBlock",
  target: TeamTarget | KeyTarget,
): Promise<number> {
  if (kind === "litellm.syncKeyBlock") return enqueueKeyJobs(tx, target as KeyTarget);
  if (!TEAM_SYNC_KINDS.has(kind)) throw new Error(`not a set-based team job: ${String(kind)}`);
  const t = target as TeamTarget;
  let teams: string;
  let regions: string;
  let params: unknown[];
  if ("teamIds" in t) {
    if (t.teamIds.length === 0) return 0;
    teams = `SELECT unnest($1::uuid[]) AS team_id`;
    regions = t.regionId === undefined ? "true" : "r.id = $2::uuid";
    params = t.regionId === undefined ? [t.teamIds] : [t.teamIds, t.regionId];
  } else if ("productId" in t) {
    teams = `SELECT team_id FROM team_products WHERE product_id = $1::uuid AND status = 'ACTIVE'`;
    regions = "true";
    params = [t.productId];
  } else {
    teams = `SELECT team_id FROM api_keys WHERE region_id = $1::uuid`;
    regions = "r.id = $1::uuid";
    params = [t.regionId];
  }
  return tx.$executeRawUnsafe(
    `INSERT INTO jobs (kind, payload, region_id)
     SELECT '${kind}', ${teamSyncPayloadSql("s")}, r.id
       FROM (SELECT DISTINCT team_id FROM (${teams}) q) s
      CROSS JOIN regions r
      WHERE ${regions}`,
    ...params,
  );
}

async function enqueueKeyJobs(tx: Executor, target: KeyTarget): Promise<number> {
  let keys: string;
  let param: unknown;
  if ("keyIds" in target) {
    if (target.keyIds.length === 0) return 0;
    keys = `k.id = ANY($1::uuid[])`;
    param = target.keyIds;
  } else if ("createdBy" in target) {
    keys = `k.creator_id = $1::uuid`;
    param = target.createdBy;
  } else {
    keys = `k.region_id = $1::uuid AND EXISTS (SELECT 1 FROM api_key_blocks b WHERE b.api_key_id = k.id)`;
    param = target.blockedInRegion;
  }
  return tx.$executeRawUnsafe(
    `INSERT INTO jobs (kind, payload, region_id, api_key_id)
     SELECT 'litellm.syncKeyBlock', jsonb_build_object('keyToken', k.litellm_key_id, 'keyId', k.id::text), k.region_id, k.id
       FROM api_keys k WHERE k.litellm_key_id IS NOT NULL AND ${keys}`,
    param,
  );
}

/** Both pushes for some teams (their limits, their block state), on every region or one. */
export async function enqueueTeamStateJobs(
  tx: Executor,
  teamIds: readonly string[],
  regionId?: string,
): Promise<void> {
  if (teamIds.length === 0) return;
  const target = regionId === undefined ? { teamIds } : { teamIds, regionId };
  await enqueueForEach(tx, "litellm.pushEntitlement", target);
  await enqueueForEach(tx, "litellm.syncTeamBlock", target);
}
