/**
 * One spend sync of a region: take the region's lease (db spendSyncLease, one reader per
 * region across workers), stream the proxy's `/v2/team/list` and `/key/list` a page at a
 * time, map LiteLLM team ids back to Gatehouse teams (core gatehouseTeamIdOf) and write each
 * set of pages with one upsert (db writeTeamSpendPage / writeKeySpendPage). Memory holds one
 * write set, never a region.
 *
 * A read that fails part-way leaves what it already wrote (those readings are real and
 * carry their own `as_of`); everything not yet read keeps its previous value and `as_of`.
 * Nothing is ever written as 0 for a team the proxy did not answer for. A successful read
 * ends with the budget alerts of the teams it changed (db evaluateSpendAlerts).
 */
import { gatehouseTeamIdOf } from "@gatehouse/core";
import {
  evaluateSpendAlerts,
  spendSyncLease,
  writeKeySpendPage,
  writeTeamSpendPage,
  type Database,
  type TeamSpendWrite,
  REGION_LEASE_MS,
  RegionBusyError,
} from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";
import { spendBackfill } from "./backfill.ts";

/** Rows per upsert: ten LiteLLM pages; big enough to amortise the round trip, small in memory. */
const WRITE_SET = 1_000;

/**
 * Writes the rows each page yields, a set at a time once WRITE_SET have gathered (and the
 * rest at the end), renewing the lease after each set; resolves with how many were written.
 */
async function writeInSets<P, T>(
  pages: AsyncIterable<P>,
  rowsOf: (page: P) => T[],
  write: (set: T[]) => Promise<number>,
  keepLease: () => Promise<void>,
): Promise<number> {
  let written = 0;
  let set: T[] = [];
  const flush = async (): Promise<void> => {
    written += await write(set);
    set = [];
    await keepLease();
  };
  for await (const page of pages) {
    set.push(...rowsOf(page));
    if (set.length >= WRITE_SET) await flush();
  }
  if (set.length > 0) await flush();
  return written;
}

export interface SpendSyncOutcome {
  teamsRead: number;
  teamsWritten: number;
  keysRead: number;
  keysWritten: number;
  /** Daily points rebuilt for teams read here for the first time (see backfill.ts). */
  historyDaysFiled: number;
  /** Why that history was given up (the sync itself went on), or null. */
  historyError: string | null;
  asOf: Date;
  /** Budget events raised by this sync's readings (thresholds crossed, forecasts). */
  alerts: { teams: number; thresholds: number; forecasts: number };
}

/** A proxy's `budget_reset_at` as an instant, or null when absent or unreadable. */
function instant(text: string | null): Date | null {
  if (!text) return null;
  // LiteLLM may send a naive UTC datetime (no offset): read it as UTC, not local time.
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? null : date;
}

export async function syncRegionSpend(deps: {
  db: Database;
  client: LiteLLMClient;
  region: { id: string; name: string };
  holder: string;
  /** A periodic round that lost the race to another worker does not repeat its work. */
  unlessFinishedWithinMs?: number;
  now?: () => Date;
}): Promise<SpendSyncOutcome> {
  const { db, client, region, holder } = deps;
  const now = deps.now ?? (() => new Date());
  const lease = spendSyncLease(db, { regionId: region.id, holder, leaseMs: REGION_LEASE_MS });
  const claimed = await lease.claim(deps.unlessFinishedWithinMs ?? null);
  if (!claimed) {
    throw new RegionBusyError(`region ${region.name} is being synced by another worker`);
  }
  const startedAt = now();
  const keepLease = lease.heartbeat(
    () => new RegionBusyError("the spend sync lease was lost to another worker"),
  );
  const outcome: SpendSyncOutcome = {
    teamsRead: 0,
    teamsWritten: 0,
    keysRead: 0,
    keysWritten: 0,
    historyDaysFiled: 0,
    historyError: null,
    asOf: startedAt,
    alerts: { teams: 0, thresholds: 0, forecasts: 0 },
  };
  const backfill = spendBackfill({ db, client, region });
  try {
    // Each set is stamped with the time it was read, so `as_of` never claims a later read.
    outcome.teamsWritten = await writeInSets(
      client.teamPages(),
      (page) => {
        const teams: TeamSpendWrite[] = [];
        for (const team of page.teams) {
          outcome.teamsRead += 1;
          const teamId = gatehouseTeamIdOf(region.name, team.teamId);
          // Unknown spend is not 0: a team the proxy sent without spend keeps its last value.
          if (teamId === null || team.spend === null) continue;
          teams.push({
            teamId,
            spendUsd: team.spend,
            maxBudgetUsd: team.maxBudget,
            budgetDuration: team.budgetDuration,
            budgetResetAt: instant(team.budgetResetAt),
          });
        }
        return teams;
      },
      async (set) => {
        await backfill.before(set);
        const asOf = now();
        const written = await writeTeamSpendPage(db, region.id, set, asOf);
        await backfill.after(set, asOf);
        return written;
      },
      keepLease,
    );
    outcome.historyDaysFiled = backfill.daysFiled;
    outcome.historyError = backfill.error;
    outcome.keysWritten = await writeInSets(
      client.keyPages(),
      (page) => {
        outcome.keysRead += page.keys.length;
        return page.keys.flatMap((key) =>
          key.spend === null ? [] : [{ token: key.token, spendUsd: key.spend }],
        );
      },
      (set) => writeKeySpendPage(db, region.id, set, now()),
      keepLease,
    );
    // Still under the lease: one set-based pass over the teams whose reading changed (the
    // rows this sync, or a failed one before it, marked). A failure here fails the sync and
    // leaves the rows marked for the next one.
    outcome.alerts = await evaluateSpendAlerts(db, { regionId: region.id, now: now() });
  } catch (error) {
    if (!(error instanceof RegionBusyError)) {
      await lease.finish({
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    throw error;
  }
  await lease.finish({
    ok: true,
    startedAt,
    teamsRead: outcome.teamsRead,
    keysRead: outcome.keysRead,
  });
  return outcome;
}
