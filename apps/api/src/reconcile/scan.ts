/**
 * Streams a region's proxy and Gatehouse side by side and reports how they differ, with
 * flat memory whatever the region's size: two sorted merge-joins, one over teams (proxy
 * `/v2/team/list` by team_id, Gatehouse's teams with keys in the region by id) and one over
 * keys (proxy `/key/list` by token, Gatehouse's keys of the region by token), each holding a
 * few pages at a time.
 *
 * The proxy's listings are offset-paged and may shift under concurrent writes, and its sort
 * order is its database's collation, so the join's verdicts are only candidates: every
 * "missing" is re-checked with a point lookup (`/key/info`, `/v2/team/list?team_id=`),
 * every "orphan" against all of Gatehouse's keys, and differences whose key or team has a
 * queued job (a merge's move, a delete) are left out as in flight. A misordered or shifted
 * page therefore costs extra lookups, never a wrong verdict.
 *
 * What the proxy enforces is compared too: each Gatehouse team the proxy holds (with keys
 * in the region or not) against its entitlement and block reasons (`limits_drift`,
 * `block_drift`), and each key against its block reasons and the routes Gatehouse grants.
 */
import {
  blockDrift,
  compareKey,
  describeTeamLimits,
  emptyReport,
  expectedKeyPlacement,
  GATEHOUSE_KEY_ROUTES,
  gatehouseKeyIdOf,
  gatehouseTeamIdOf,
  keyRoutesDrift,
  litellmTeamId,
  proxyTeamLimitsOf,
  recordDifference,
  teamLimitsDrift,
  TOKEN_PREFIX_LENGTH,
  UNLIMITED,
  type ReconcileExample,
  type ReconcileReport,
  type TProductLimits,
} from "@gatehouse/core";
import { keysBlockReasons, teamsEnforcement, type Database } from "@gatehouse/db";
import {
  MAX_LIST_PAGE_SIZE,
  type LiteLLMClient,
  type ListedKey,
  type ListedTeam,
} from "@gatehouse/litellm";

/** Gatehouse's view of one key of the region. */
export interface GatehouseKey {
  id: string;
  name: string;
  teamId: string;
  teamName: string;
  token: string;
  creatorId: string | null;
  secretSealed: string | null;
  /**
   * Its owner left the team (`owner_left`): a proxy since LiteLLM 17057 deleted it with the
   * member, an older one keeps it blocked, so its absence is no difference (re-adding or a
   * transfer brings it back); where it is present it must still be blocked, in its team.
   */
  ownerLeft: boolean;
}

interface TeamRef {
  id: string;
  name: string;
  litellmTeamId: string;
}

/** A confirmed difference with what a repair needs (examples carry less). */
export type Difference =
  | { kind: "team_missing"; team: TeamRef }
  | {
      kind: "limits_drift";
      subject: "team";
      team: TeamRef;
      /** The differing fields, `field=value, ...`, as Gatehouse expects them and as found. */
      expected: string;
      actual: string;
    }
  | { kind: "limits_drift"; subject: "key"; key: GatehouseKey; expected: string; actual: string }
  | {
      kind: "block_drift";
      subject: "team";
      team: TeamRef;
      expected: "blocked" | "unblocked";
      actual: "blocked" | "unblocked";
    }
  | {
      kind: "block_drift";
      subject: "key";
      key: GatehouseKey;
      expected: "blocked" | "unblocked";
      actual: "blocked" | "unblocked";
    }
  | {
      kind: "key_missing";
      key: GatehouseKey;
      expected: { litellmTeamId: string; keyAlias: string };
    }
  | {
      kind: "key_wrong_team" | "alias_drift";
      key: GatehouseKey;
      expected: { litellmTeamId: string; keyAlias: string };
      actual: { teamId: string | null; keyAlias: string | null; userId: string | null };
    }
  | {
      kind: "orphan_key";
      token: string;
      gatehouseKeyId: string;
      teamId: string | null;
      keyAlias: string | null;
    };

export interface ScanOptions {
  examplesPerKind?: number;
  /** Rows per Gatehouse page (default 1000). */
  dbPageSize?: number;
  /** Proxy pages fetched ahead (default 4). */
  readAhead?: number;
  /** Called for every confirmed difference, in batches (e.g. to queue repairs). */
  onDifferences?: (differences: Difference[]) => Promise<void>;
  /** Called between pages, e.g. to renew a lease. */
  heartbeat?: () => Promise<void>;
  /** The entitlement of a team without products (config's default; unset: unlimited). */
  defaultEntitlement?: TProductLimits;
}

const HEX_TOKEN = /^[0-9a-f]{64}$/;
const BATCH = 100;
const LOOKUP_CONCURRENCY = 8;

/**
 * Pages of an offset-paged listing, `depth` requests ahead, in order. Stops after the last
 * page the listing announced, or at the first empty page when it grew meanwhile.
 */
async function* readAhead<T>(
  fetchPage: (page: number) => Promise<{ items: T[]; totalPages: number }>,
  depth: number,
): AsyncGenerator<T[], void, undefined> {
  const first = await fetchPage(1);
  yield first.items;
  let totalPages = first.totalPages;
  const inFlight: Array<Promise<{ items: T[]; totalPages: number }>> = [];
  let next = 2;
  for (;;) {
    while (inFlight.length < depth && next <= totalPages) {
      const request = fetchPage(next++);
      // Marked handled: a scan that stops early leaves requests unawaited (awaiting one
      // still throws its error).
      request.catch(() => undefined);
      inFlight.push(request);
    }
    const pending = inFlight.shift();
    if (!pending) return;
    const page = await pending;
    if (page.items.length === 0) {
      // Shrunk meanwhile: later pages are empty too. Settle the ones in flight.
      await Promise.allSettled(inFlight);
      return;
    }
    yield page.items;
    totalPages = Math.max(totalPages, page.totalPages);
  }
}

/** A pull iterator over a stream of pages, one item at a time. */
class Cursor<T> {
  #page: T[] = [];
  #index = 0;
  #done = false;
  constructor(private readonly pages: AsyncIterator<T[]>) {}
  async peek(): Promise<T | undefined> {
    while (this.#index >= this.#page.length && !this.#done) {
      const next = await this.pages.next();
      if (next.done) this.#done = true;
      else {
        this.#page = next.value;
        this.#index = 0;
      }
    }
    return this.#page[this.#index];
  }
  advance(): void {
    this.#index++;
  }
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

export async function scanRegion(
  deps: { db: Database; client: LiteLLMClient },
  region: { id: string; name: string },
  options: ScanOptions = {},
): Promise<ReconcileReport> {
  const { db, client } = deps;
  const limit = options.examplesPerKind ?? 20;
  const dbPageSize = options.dbPageSize ?? 1000;
  const depth = options.readAhead ?? 4;
  const report = emptyReport();
  const heartbeat = options.heartbeat ?? (async () => {});
  const defaults = options.defaultEntitlement ?? UNLIMITED;

  async function emit(differences: Difference[]): Promise<void> {
    if (differences.length === 0) return;
    for (const d of differences) recordDifference(report, toExample(d), limit);
    await options.onDifferences?.(differences);
  }

  /** Keys (by Gatehouse id) with a job queued or running: their differences are in flight. */
  async function keysInFlight(keyIds: string[]): Promise<Set<string>> {
    if (keyIds.length === 0) return new Set();
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT DISTINCT api_key_id::text AS id FROM jobs
        WHERE api_key_id = ANY($1::uuid[]) AND status IN ('PENDING', 'RUNNING')`,
      [keyIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** LiteLLM teams of the region with a job queued or running that sets their state. */
  async function teamsInFlight(liteLLMTeamIds: string[]): Promise<Set<string>> {
    if (liteLLMTeamIds.length === 0) return new Set();
    const { rows } = await db.pool.query<{ team_id: string }>(
      `SELECT DISTINCT payload->>'teamId' AS team_id FROM jobs
        WHERE status IN ('PENDING', 'RUNNING') AND region_id = $1::uuid
          AND kind IN ('litellm.ensureTeam', 'litellm.pushEntitlement', 'litellm.syncTeamBlock')
          AND payload->>'teamId' = ANY($2::text[])`,
      [region.id, liteLLMTeamIds],
    );
    return new Set(rows.map((r) => r.team_id));
  }

  // ---- Teams ------------------------------------------------------------------------

  async function* gatehouseTeams(): AsyncGenerator<
    Array<{ id: string; name: string; litellmTeamId: string }>
  > {
    let after = "00000000-0000-0000-0000-000000000000";
    let first = true;
    for (;;) {
      // The teams that own keys in the region: a team exists on a proxy once a key was made there.
      const { rows } = await db.pool.query<{ id: string; name: string }>(
        `SELECT t.id::text, t.name FROM teams t
          WHERE t.id IN (SELECT DISTINCT k.team_id FROM api_keys k
                          WHERE k.region_id = $1::uuid AND k.team_id ${first ? ">=" : ">"} $2::uuid
                          ORDER BY k.team_id LIMIT $3)
          ORDER BY t.id`,
        [region.id, after, dbPageSize],
      );
      first = false;
      if (rows.length === 0) return;
      report.scanned.gatehouseTeams += rows.length;
      yield rows.map((r) => ({ ...r, litellmTeamId: litellmTeamId(region.name, r.id) }));
      after = rows[rows.length - 1]!.id;
      if (rows.length < dbPageSize) return;
      await heartbeat();
    }
  }

  async function scanTeams(): Promise<void> {
    const ours = new Cursor(gatehouseTeams());
    const theirs = new Cursor(
      readAhead(async (page) => {
        const result = await client.listTeams({
          page,
          pageSize: MAX_LIST_PAGE_SIZE,
          sortBy: "team_id",
          sortOrder: "asc",
        });
        report.scanned.proxyTeams += result.teams.length;
        return { items: result.teams, totalPages: result.totalPages };
      }, depth),
    );
    let candidates: Array<{ id: string; name: string; litellmTeamId: string }> = [];
    let held: Array<{ teamId: string; actual: ListedTeam }> = [];
    let last = "";
    // What the proxy enforces for teams it holds, against Gatehouse's entitlement and blocks.
    const flushHeld = async (): Promise<void> => {
      const batch = held;
      held = [];
      if (batch.length === 0) return;
      const state = await teamsEnforcement(
        db.pool,
        batch.map((b) => b.teamId),
        defaults,
      );
      const differing: Difference[] = [];
      for (const { teamId, actual } of batch) {
        const s = state.get(teamId);
        if (!s) continue;
        const team = { id: teamId, name: s.name, litellmTeamId: actual.teamId };
        const fields = teamLimitsDrift(s.entitlement, actual);
        if (fields.length > 0) {
          differing.push({
            kind: "limits_drift",
            subject: "team",
            team,
            expected: describeTeamLimits(proxyTeamLimitsOf(s.entitlement), fields),
            actual: describeTeamLimits(actual, fields),
          });
        }
        const block = blockDrift(s.blockReasons, actual.blocked);
        if (block) differing.push({ kind: "block_drift", subject: "team", team, ...block });
      }
      const teamOf = (d: Difference): string => ("team" in d ? d.team.litellmTeamId : "");
      const busy = await teamsInFlight([...new Set(differing.map(teamOf))]);
      report.inFlight += differing.filter((d) => busy.has(teamOf(d))).length;
      await emit(differing.filter((d) => !busy.has(teamOf(d))));
    };
    const flush = async (): Promise<void> => {
      const batch = candidates;
      candidates = [];
      if (batch.length === 0) return;
      const stillMissing = await mapLimit(
        batch,
        LOOKUP_CONCURRENCY,
        async (team) =>
          (await client.listTeams({ teamId: team.litellmTeamId, pageSize: 1 })).total === 0,
      );
      const missing = batch.filter((_, i) => stillMissing[i]);
      const { rows } = missing.length
        ? await db.pool.query<{ team_id: string }>(
            `SELECT DISTINCT payload->>'teamId' AS team_id FROM jobs
              WHERE status IN ('PENDING', 'RUNNING') AND kind = 'litellm.ensureTeam' AND region_id = $1::uuid
                AND payload->>'teamId' = ANY($2::text[])`,
            [region.id, missing.map((t) => t.litellmTeamId)],
          )
        : { rows: [] };
      const queued = new Set(rows.map((r) => r.team_id));
      report.inFlight += missing.filter((t) => queued.has(t.litellmTeamId)).length;
      await emit(
        missing
          .filter((t) => !queued.has(t.litellmTeamId))
          .map((team) => ({ kind: "team_missing" as const, team })),
      );
    };
    /** A proxy team Gatehouse has no keys for here may still be one of its teams. */
    const proxyOnly = (p: ListedTeam): void => {
      const teamId = gatehouseTeamIdOf(region.name, p.teamId);
      if (teamId !== null) held.push({ teamId, actual: p });
    };
    for (;;) {
      const g = await ours.peek();
      let p = await theirs.peek();
      // A page that shifted under concurrent writes repeats entries: skip what was passed.
      while (p !== undefined && p.teamId <= last && last !== "") {
        theirs.advance();
        p = await theirs.peek();
      }
      if (g === undefined) {
        if (p === undefined) break;
        last = p.teamId;
        theirs.advance();
        proxyOnly(p);
      } else if (p !== undefined && p.teamId < g.litellmTeamId) {
        last = p.teamId;
        theirs.advance();
        proxyOnly(p);
      } else if (p !== undefined && p.teamId === g.litellmTeamId) {
        last = p.teamId;
        theirs.advance();
        ours.advance();
        held.push({ teamId: g.id, actual: p });
      } else {
        candidates.push(g);
        ours.advance();
        if (candidates.length >= BATCH) await flush();
      }
      if (held.length >= BATCH) await flushHeld();
    }
    await flush();
    await flushHeld();
  }

  // ---- Keys -------------------------------------------------------------------------

  async function* gatehouseKeys(): AsyncGenerator<GatehouseKey[]> {
    let after = "";
    for (;;) {
      // Only sha256 ids: that is what LiteLLM lists, and hex sorts alike in every collation.
      const { rows } = await db.pool.query<GatehouseKey>(
        `SELECT k.id::text, k.name, k.team_id::text AS "teamId", t.name AS "teamName",
                k.litellm_key_id AS token, k.creator_id::text AS "creatorId", k.secret_sealed AS "secretSealed",
                EXISTS (SELECT 1 FROM api_key_blocks b
                         WHERE b.api_key_id = k.id AND b.reason = 'owner_left') AS "ownerLeft"
           FROM api_keys k JOIN teams t ON t.id = k.team_id
          WHERE k.region_id = $1::uuid AND k.litellm_key_id > $2 AND k.litellm_key_id ~ '^[0-9a-f]{64}$'
          ORDER BY k.litellm_key_id LIMIT $3`,
        [region.id, after, dbPageSize],
      );
      if (rows.length === 0) return;
      report.scanned.gatehouseKeys += rows.length;
      yield rows;
      after = rows[rows.length - 1]!.token;
      if (rows.length < dbPageSize) return;
      await heartbeat();
    }
  }

  async function scanKeys(): Promise<void> {
    const ours = new Cursor(gatehouseKeys());
    const theirs = new Cursor(
      readAhead(async (page) => {
        const result = await client.listKeys({
          page,
          size: MAX_LIST_PAGE_SIZE,
          sortBy: "token",
          sortOrder: "asc",
        });
        report.scanned.proxyKeys += result.keys.length;
        return {
          items: result.keys.filter((k) => HEX_TOKEN.test(k.token)),
          totalPages: result.totalPages,
        };
      }, depth),
    );
    let missing: GatehouseKey[] = [];
    let matched: Array<{ key: GatehouseKey; actual: ListedKey }> = [];
    let orphans: ListedKey[] = [];

    const flushMatched = async (
      pairs: Array<{ key: GatehouseKey; actual: ListedKey }>,
    ): Promise<void> => {
      const reasons = await keysBlockReasons(
        db.pool,
        pairs.map((p) => p.key.id),
      );
      const differing = pairs.flatMap(({ key, actual }): Difference[] => {
        const expected = expectedKeyPlacement(region.name, key.teamId, key.name);
        const kind = compareKey(expected, actual);
        const found: Difference[] = kind
          ? [
              {
                kind,
                key,
                expected,
                actual: { teamId: actual.teamId, keyAlias: actual.keyAlias, userId: actual.userId },
              },
            ]
          : [];
        const block = blockDrift(reasons.get(key.id) ?? [], actual.blocked);
        if (block) found.push({ kind: "block_drift", subject: "key", key, ...block });
        if (keyRoutesDrift(actual.allowedRoutes)) {
          const routes = (r: readonly string[]) =>
            `allowed_routes=${r.length === 0 ? "all" : r.join("|")}`;
          found.push({
            kind: "limits_drift",
            subject: "key",
            key,
            expected: routes(GATEHOUSE_KEY_ROUTES),
            actual: routes(actual.allowedRoutes),
          });
        }
        return found;
      });
      if (differing.length === 0) return;
      const keyOf = (d: Difference): string => ("key" in d ? d.key.id : "");
      const busy = await keysInFlight([...new Set(differing.map(keyOf))]);
      report.inFlight += differing.filter((d) => busy.has(keyOf(d))).length;
      await emit(differing.filter((d) => !busy.has(keyOf(d))));
    };

    const flushMissing = async (): Promise<void> => {
      const batch = missing;
      missing = [];
      if (batch.length === 0) return;
      // A key skipped by a shifted page, or created during the scan, is there after all.
      const found = await mapLimit(batch, LOOKUP_CONCURRENCY, async (key) => {
        const info = await client.keyInfoIfPresent(key.token);
        return info && ({ ...info, spend: 0 } satisfies ListedKey);
      });
      await flushMatched(batch.flatMap((key, i) => (found[i] ? [{ key, actual: found[i] }] : [])));
      const gone = batch.filter((key, i) => !found[i] && !key.ownerLeft);
      const busy = await keysInFlight(gone.map((k) => k.id));
      report.inFlight += gone.filter((k) => busy.has(k.id)).length;
      await emit(
        gone
          .filter((k) => !busy.has(k.id))
          .map((key) => ({
            kind: "key_missing" as const,
            key,
            expected: expectedKeyPlacement(region.name, key.teamId, key.name),
          })),
      );
    };

    const flushOrphans = async (): Promise<void> => {
      const batch = orphans;
      orphans = [];
      if (batch.length === 0) return;
      // Known to Gatehouse after all (another region on the same proxy, or created during
      // the scan)? Then it is not an orphan.
      const { rows } = await db.pool.query<{ token: string }>(
        `SELECT litellm_key_id AS token FROM api_keys WHERE litellm_key_id = ANY($1::text[])`,
        [batch.map((k) => k.token)],
      );
      const known = new Set(rows.map((r) => r.token));
      const unknown = batch.filter((k) => !known.has(k.token));
      // A key whose deletion is queued is on its way out, not an orphan.
      const busy = await keysInFlight(
        unknown.map((k) => gatehouseKeyIdOf(k.metadata)!).filter(isUuid),
      );
      const orphaned = unknown.filter((k) => !busy.has(gatehouseKeyIdOf(k.metadata)!));
      report.inFlight += unknown.length - orphaned.length;
      await emit(
        orphaned.map((k) => ({
          kind: "orphan_key" as const,
          token: k.token,
          gatehouseKeyId: gatehouseKeyIdOf(k.metadata)!,
          teamId: k.teamId,
          keyAlias: k.keyAlias,
        })),
      );
    };

    let last = "";
    for (;;) {
      const g = await ours.peek();
      let p = await theirs.peek();
      while (p !== undefined && last !== "" && p.token <= last) {
        theirs.advance();
        p = await theirs.peek();
      }
      if (g === undefined && p === undefined) break;
      if (p !== undefined && (g === undefined || p.token < g.token)) {
        last = p.token;
        theirs.advance();
        // Only keys carrying Gatehouse's metadata are ours to judge; others are left alone.
        if (gatehouseKeyIdOf(p.metadata) !== null) orphans.push(p);
      } else if (g !== undefined && (p === undefined || g.token < p.token)) {
        ours.advance();
        missing.push(g);
      } else {
        last = p!.token;
        theirs.advance();
        ours.advance();
        matched.push({ key: g!, actual: p! });
      }
      if (matched.length >= BATCH) {
        const pairs = matched;
        matched = [];
        await flushMatched(pairs);
      }
      if (missing.length >= BATCH) await flushMissing();
      if (orphans.length >= BATCH) await flushOrphans();
    }
    await flushMatched(matched);
    await flushMissing();
    await flushOrphans();
  }

  await Promise.all([scanTeams(), scanKeys()]);
  return report;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value: string): boolean {
  return UUID.test(value);
}

function toExample(d: Difference): ReconcileExample {
  const base = {
    kind: d.kind,
    teamId: null,
    keyId: null,
    keyName: null,
    keyTokenPrefix: null,
    expected: null,
    actual: null,
    restorable: null,
  };
  switch (d.kind) {
    case "team_missing":
      return { ...base, teamId: d.team.id, expected: d.team.litellmTeamId };
    case "key_missing":
      return {
        ...base,
        teamId: d.key.teamId,
        keyId: d.key.id,
        keyName: d.key.name,
        keyTokenPrefix: d.key.token.slice(0, TOKEN_PREFIX_LENGTH),
        expected: d.expected.litellmTeamId,
        restorable: d.key.secretSealed !== null,
      };
    case "key_wrong_team":
    case "alias_drift": {
      const team = d.kind === "key_wrong_team";
      return {
        ...base,
        teamId: d.key.teamId,
        keyId: d.key.id,
        keyName: d.key.name,
        keyTokenPrefix: d.key.token.slice(0, TOKEN_PREFIX_LENGTH),
        expected: team ? d.expected.litellmTeamId : d.expected.keyAlias,
        actual: team ? d.actual.teamId : d.actual.keyAlias,
      };
    }
    case "orphan_key":
      return {
        ...base,
        keyId: d.gatehouseKeyId,
        keyTokenPrefix: d.token.slice(0, TOKEN_PREFIX_LENGTH),
        actual: d.teamId,
      };
    case "limits_drift":
    case "block_drift":
      return d.subject === "team"
        ? { ...base, teamId: d.team.id, expected: d.expected, actual: d.actual }
        : {
            ...base,
            teamId: d.key.teamId,
            keyId: d.key.id,
            keyName: d.key.name,
            keyTokenPrefix: d.key.token.slice(0, TOKEN_PREFIX_LENGTH),
            expected: d.expected,
            actual: d.actual,
          };
  }
}
