/**
 * One spend sync of a region: take the region's lease (db spendSyncLease, one reader per
 * region across workers), stream the proxy's `/v2/team/list` and `/key/list` a page at a
 * time, map LiteLLM team ids back to Gatehouse teams (core gatehouseTeamIdOf) and write each
 * set of pages with one upsert (db writeTeamSpendPage / writeKeySpendPage). Memory holds one
 * write set, never a region.
 *
 * A read that fails part-way leaves what it already wrote (those readings are real and
 * carry their own `as_of`); everything not yet read keeps its previous value and `as_of`.
 * Nothing is ever written as 0 for a team the proxy did not answer for.
 */
import { gatehouseTeamIdOf } from "@gatehouse/core";
import {
  spendSyncLease,
  writeKeySpendPage,
  writeTeamSpendPage,
  type Database,
  type TeamSpendWrite,
  REGION_LEASE_MS,
  RegionBusyError,
} from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";

/** Rows per upsert: ten LiteLLM pages; big enough to amortise the round trip, small in memory. */
const WRITE_SET = 1_000;

export interface SpendSyncOutcome {
  teamsRead: number;
  teamsWritten: number;
  keysRead: number;
  keysWritten: number;
  asOf: Date;
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
    asOf: startedAt,
  };
  try {
    let teams: TeamSpendWrite[] = [];
    const flushTeams = async (): Promise<void> => {
      // Each set is stamped with the time it was read, so `as_of` never claims a later read.
      outcome.teamsWritten += await writeTeamSpendPage(db, region.id, teams, now());
      teams = [];
      await keepLease();
    };
    for await (const page of client.teamPages()) {
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
      if (teams.length >= WRITE_SET) await flushTeams();
    }
    if (teams.length > 0) await flushTeams();

    let keys: Array<{ token: string; spendUsd: number }> = [];
    const flushKeys = async (): Promise<void> => {
      outcome.keysWritten += await writeKeySpendPage(db, region.id, keys, now());
      keys = [];
      await keepLease();
    };
    for await (const page of client.keyPages()) {
      for (const key of page.keys) {
        outcome.keysRead += 1;
        if (key.spend !== null) keys.push({ token: key.token, spendUsd: key.spend });
      }
      if (keys.length >= WRITE_SET) await flushKeys();
    }
    if (keys.length > 0) await flushKeys();
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
