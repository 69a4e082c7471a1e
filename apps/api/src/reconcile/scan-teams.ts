/**
 * The teams half of a region's scan: a sorted merge-join of Gatehouse's teams with keys in
 * the region (by id) and the proxy's `/v2/team/list` (by team_id); each "missing" is
 * re-checked with a point lookup, and each Gatehouse team the proxy holds (with keys in the
 * region or not) is compared against its entitlement and block reasons.
 */
import {
  blockDrift,
  describeTeamLimits,
  gatehouseTeamIdOf,
  litellmTeamId,
  proxyTeamLimitsOf,
  teamLimitsDrift,
} from "@gatehouse/core";
import {
  regionTeamsPage,
  teamsEnforcement,
  teamsWithEnsureInFlight,
  teamsWithStateJobsInFlight,
} from "@gatehouse/db";
import { MAX_LIST_PAGE_SIZE, type ListedTeam } from "@gatehouse/litellm";
import type { Difference, TeamRef } from "./difference.ts";
import { Cursor, mapLimit, readAhead } from "./paging.ts";
import { BATCH, emitUnlessInFlight, LOOKUP_CONCURRENCY, type ScanContext } from "./scan-context.ts";

/** Gatehouse's side: the teams that own keys in the region, in id order, a page at a time. */
async function* gatehouseTeams(scan: ScanContext): AsyncGenerator<TeamRef[]> {
  const { db, region, report, dbPageSize, heartbeat } = scan;
  let after = "00000000-0000-0000-0000-000000000000";
  let first = true;
  for (;;) {
    const rows = await regionTeamsPage(db, {
      regionId: region.id,
      after,
      inclusive: first,
      limit: dbPageSize,
    });
    first = false;
    if (rows.length === 0) return;
    report.scanned.gatehouseTeams += rows.length;
    yield rows.map((r) => ({ ...r, litellmTeamId: litellmTeamId(region.name, r.id) }));
    after = rows[rows.length - 1]!.id;
    if (rows.length < dbPageSize) return;
    await heartbeat();
  }
}

/**
 * The teams merge-join: teams Gatehouse expects on the proxy against the proxy's teams by
 * team_id; what the proxy enforces is compared for every Gatehouse team it holds.
 */
export async function scanTeams(scan: ScanContext): Promise<void> {
  const { db, client, region, report, depth, defaults } = scan;
  const ours = new Cursor(gatehouseTeams(scan));
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
  let candidates: TeamRef[] = [];
  let held: Array<{ teamId: string; actual: ListedTeam }> = [];
  let last = "";
  // What the proxy enforces for teams it holds, against Gatehouse's entitlement and blocks.
  const flushHeld = async (): Promise<void> => {
    const batch = held;
    held = [];
    if (batch.length === 0) return;
    const state = await teamsEnforcement(
      db,
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
    const busy = await teamsWithStateJobsInFlight(db, region.id, [
      ...new Set(differing.map(teamOf)),
    ]);
    await emitUnlessInFlight(scan, differing, busy, teamOf, (d) => d);
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
    const queued = await teamsWithEnsureInFlight(
      db,
      region.id,
      missing.map((t) => t.litellmTeamId),
    );
    await emitUnlessInFlight(
      scan,
      missing,
      queued,
      (t) => t.litellmTeamId,
      (team) => ({ kind: "team_missing", team }),
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
