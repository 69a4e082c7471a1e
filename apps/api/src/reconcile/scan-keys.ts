/**
 * The keys half of a region's scan: a sorted merge-join of Gatehouse's keys of the region and
 * the proxy's `/key/list`, both by token, holding a few pages at a time.
 */
import {
  blockDrift,
  compareKey,
  expectedKeyPlacement,
  GATEHOUSE_KEY_ROUTES,
  gatehouseKeyIdOf,
  keyRoutesDrift,
} from "@gatehouse/core";
import {
  keysBlockReasons,
  keysWithJobsInFlight,
  knownKeyTokens,
  regionKeysPage,
} from "@gatehouse/db";
import { MAX_LIST_PAGE_SIZE, type ListedKey } from "@gatehouse/litellm";
import type { Difference, GatehouseKey } from "./difference.ts";
import { Cursor, mapLimit, readAhead } from "./paging.ts";
import { BATCH, emitUnlessInFlight, LOOKUP_CONCURRENCY, type ScanContext } from "./scan-context.ts";

const HEX_TOKEN = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Gatehouse's side: the region's keys in token order, a page at a time. */
async function* gatehouseKeys(scan: ScanContext): AsyncGenerator<GatehouseKey[]> {
  const { db, region, report, dbPageSize, heartbeat } = scan;
  let after = "";
  for (;;) {
    const rows = await regionKeysPage(db, {
      regionId: region.id,
      afterToken: after,
      limit: dbPageSize,
    });
    if (rows.length === 0) return;
    report.scanned.gatehouseKeys += rows.length;
    yield rows;
    after = rows[rows.length - 1]!.token;
    if (rows.length < dbPageSize) return;
    await heartbeat();
  }
}

/**
 * The keys merge-join: the region's keys against the proxy's keys by token. Keys on both
 * sides are compared (team, alias, block, routes); a "missing" is re-checked by a point
 * lookup; a proxy key with Gatehouse's metadata that no Gatehouse key has is an orphan.
 */
export async function scanKeys(scan: ScanContext): Promise<void> {
  const { db, client, region, report, depth, emit } = scan;
  const ours = new Cursor(gatehouseKeys(scan));
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
      db,
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
    const busy = await keysWithJobsInFlight(db, [...new Set(differing.map(keyOf))]);
    await emitUnlessInFlight(scan, differing, busy, keyOf, (d) => d);
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
    const busy = await keysWithJobsInFlight(
      db,
      gone.map((k) => k.id),
    );
    await emitUnlessInFlight(
      scan,
      gone,
      busy,
      (k) => k.id,
      (key) => ({
        kind: "key_missing",
        key,
        expected: expectedKeyPlacement(region.name, key.teamId, key.name),
      }),
    );
  };

  const flushOrphans = async (): Promise<void> => {
    const batch = orphans;
    orphans = [];
    if (batch.length === 0) return;
    // Known to Gatehouse after all (another region on the same proxy, or created during
    // the scan)? Then it is not an orphan.
    const known = await knownKeyTokens(
      db,
      batch.map((k) => k.token),
    );
    const unknown = batch.filter((k) => !known.has(k.token));
    // A key whose deletion is queued is on its way out, not an orphan.
    const busy = await keysWithJobsInFlight(
      db,
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
