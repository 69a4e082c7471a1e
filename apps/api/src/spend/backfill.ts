/**
 * The spend history of teams read on a region for the first time: without it a new region
 * (or Gatehouse started on a proxy that has run for months) shows empty 30-day charts and
 * a month's spend all on the first day. Open-source LiteLLM keeps what each team spent per
 * day (LiteLLM_DailyTeamSpend, `/team/daily/activity`); core backfillSpendPoints turns that
 * and the first reading's counter into the cumulative daily points the sync would have
 * filed, and db backfillTeamSpendDays files them on days that have no point.
 *
 * Bounded: only teams with no reading on the region before this sync, only the last
 * SPEND_BACKFILL_DAYS days, a few dozen teams per call. History is a nicety: a proxy that
 * cannot answer (an older LiteLLM without the endpoint, a failure) costs the history of
 * this sync's new teams, never the sync itself, and the rest of the sync does not ask again.
 */
import { SPEND_BACKFILL_DAYS, backfillSpendPoints, litellmTeamId, utcDay } from "@gatehouse/core";
import {
  backfillTeamSpendDays,
  teamsWithoutSpendReading,
  type BackfilledPoint,
  type Database,
  type TeamSpendWrite,
} from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";

/** Teams per `/team/daily/activity` call: their ids go in the query string. */
const TEAMS_PER_CALL = 25;

export interface SpendBackfill {
  /** Call with a write set before it is written: remembers which teams are new there. */
  before(set: readonly TeamSpendWrite[]): Promise<void>;
  /** Call after the set was written: files the new teams' history. */
  after(set: readonly TeamSpendWrite[], asOf: Date): Promise<void>;
  readonly daysFiled: number;
  /** Why history was given up for the rest of this sync, or null. */
  readonly error: string | null;
}

export function spendBackfill(deps: {
  db: Database;
  client: LiteLLMClient;
  region: { id: string; name: string };
}): SpendBackfill {
  const { db, client, region } = deps;
  let fresh = new Set<string>();
  let daysFiled = 0;
  let error: string | null = null;

  async function history(teams: readonly TeamSpendWrite[], asOf: Date): Promise<void> {
    const today = utcDay(asOf);
    const startDate = utcDay(new Date(asOf.getTime() - SPEND_BACKFILL_DAYS * 86_400_000));
    const points: BackfilledPoint[] = [];
    for (let i = 0; i < teams.length; i += TEAMS_PER_CALL) {
      const chunk = teams.slice(i, i + TEAMS_PER_CALL);
      const byLitellmId = new Map(chunk.map((t) => [litellmTeamId(region.name, t.teamId), t]));
      const days = await client.teamDailySpend({
        teamIds: [...byLitellmId.keys()],
        startDate,
        endDate: today,
      });
      const daily = new Map<string, Map<string, number>>();
      for (const day of days) {
        const perTeam = daily.get(day.teamId) ?? new Map<string, number>();
        perTeam.set(day.date, day.spendUsd);
        daily.set(day.teamId, perTeam);
      }
      for (const [litellmId, team] of byLitellmId) {
        const rebuilt = backfillSpendPoints({
          today,
          spendUsd: team.spendUsd,
          budgetResetAt: team.budgetResetAt,
          budgetDuration: team.budgetDuration,
          daily: daily.get(litellmId) ?? new Map(),
        });
        for (const p of rebuilt) points.push({ teamId: team.teamId, ...p });
      }
    }
    daysFiled += await backfillTeamSpendDays(db, region.id, points, asOf);
  }

  return {
    async before(set) {
      fresh =
        error === null
          ? new Set(
              await teamsWithoutSpendReading(
                db,
                region.id,
                set.map((t) => t.teamId),
              ),
            )
          : new Set();
    },
    async after(set, asOf) {
      const teams = set.filter((t) => fresh.has(t.teamId));
      fresh = new Set();
      if (teams.length === 0 || error !== null) return;
      try {
        await history(teams, asOf);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    },
    get daysFiled() {
      return daysFiled;
    },
    get error() {
      return error;
    },
  };
}
