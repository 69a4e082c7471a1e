/**
 * The worker's periodic work, as graphile-worker's cron beside its queue: each schedule runs
 * one round at a time on its own timer (the next round `everyMs` after one ends), and can be
 * run now (tests, an operator). Every worker runs every schedule; what must have one runner
 * across workers runs under a lease, so the others skip it:
 * - region tasks (spend sync, reconciliation) under the region's lease (db regions/leases:
 *   due regions come from the task's lease table, so the schedule survives restarts and is
 *   shared; RegionBusyError: another worker holds the region);
 * - the expiry sweep under its row lock (db sweepExpiredTeams: a second sweeper skips).
 */
import { dueRegions, RegionBusyError, type Database, type RegionLeaseTable } from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";
import type { RegionClients } from "../litellm/region-clients.ts";
import type { Logger } from "../logger.ts";

export interface Schedule {
  /** The logger's `task` field, and the name `run` takes. */
  name: string;
  /** Between the end of a round and the start of the next. */
  everyMs: number;
  /** Before the first round. */
  firstAfterMs: number;
  /** One round; `running()` turns false when the worker stops (long rounds check it). */
  round(log: Logger, running: () => boolean): Promise<void>;
  /** Logged when a round throws (the next round retries). */
  failed: string;
}

export interface Periodic {
  /** Runs the named schedule's round now, after any round in progress (unknown: no-op). */
  run(name: string): Promise<void>;
  /** Stops every timer and waits for rounds in progress. */
  stop(): Promise<void>;
}

export function startPeriodic(schedules: readonly Schedule[], logger: Logger): Periodic {
  let running = true;
  const isRunning = () => running;
  const states = new Map(
    schedules.map((schedule) => {
      const log = logger.child({ task: schedule.name });
      const state = {
        current: Promise.resolve(),
        timer: null as NodeJS.Timeout | null,
        run(): Promise<void> {
          state.current = state.current.then(() =>
            schedule.round(log, isRunning).catch((error: unknown) => {
              log.warn({ err: error }, schedule.failed);
            }),
          );
          return state.current;
        },
        schedule(delay: number): void {
          state.timer = setTimeout(() => {
            void state.run().finally(() => {
              if (running) state.schedule(schedule.everyMs);
            });
          }, delay);
          state.timer.unref();
        },
      };
      state.schedule(schedule.firstAfterMs);
      return [schedule.name, state] as const;
    }),
  );
  return {
    run(name) {
      return states.get(name)?.run() ?? Promise.resolve();
    },
    async stop() {
      running = false;
      for (const state of states.values()) if (state.timer) clearTimeout(state.timer);
      await Promise.all([...states.values()].map((state) => state.current));
    },
  };
}

/** What one region's run is given: its proxy, and the lease it takes as `holder`. */
export interface RegionRun {
  db: Database;
  client: LiteLLMClient;
  region: { id: string; name: string };
  holder: string;
  /** Another worker finished this region within the interval: nothing to do yet. */
  unlessFinishedWithinMs: number;
}

/** A task run per region, each region under its lease (see regions/leases). */
export interface RegionTask {
  name: string;
  /** Where the task's per-region lease and last finish are kept. */
  leaseTable: RegionLeaseTable;
  /** Run each due region this often. */
  intervalMs: number;
  /** One region's run; resolves with the fields of its "done" log line. */
  run(run: RegionRun): Promise<Record<string, unknown>>;
  messages: { done: string; failed: string; roundFailed: string };
}

/**
 * A region task as a schedule: every active region whose last run is older than the interval
 * (or that never had one) gets a run, one region at a time. Due regions are looked for often
 * enough that a region is at most a minute late.
 */
export function regionSchedule(
  deps: { db: Database; regions: RegionClients; holder: string },
  task: RegionTask,
): Schedule {
  return {
    name: task.name,
    everyMs: Math.max(1_000, Math.min(task.intervalMs, 60_000)),
    firstAfterMs: 0,
    failed: task.messages.roundFailed,
    async round(log, running) {
      const due = await dueRegions(deps.db, task.leaseTable, task.intervalMs);
      for (const region of due) {
        if (!running()) return;
        try {
          const client = await deps.regions.get(region.id);
          const fields = await task.run({
            db: deps.db,
            client,
            region,
            holder: deps.holder,
            unlessFinishedWithinMs: task.intervalMs,
          });
          log.info({ region: region.name, ...fields }, task.messages.done);
        } catch (error) {
          if (error instanceof RegionBusyError) continue;
          // Recorded by the task as the region's last outcome; the next round tries again.
          log.warn({ err: error, region: region.name }, task.messages.failed);
        }
      }
    },
  };
}
