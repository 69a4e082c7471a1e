/**
 * Prometheus metrics (prom-client), one registry per app so that several apps in one
 * process (tests) do not share counters. What is counted as it happens: procedure calls
 * (duration by procedure and status class, errors by code, login failures, rate-limit
 * hits, merges by outcome) and LiteLLM calls (through the client's observer). What is read
 * at scrape time: the job queue (index-served queries on jobs(status, run_at)) and the
 * connection pool.
 */
import {
  countUnfinishedJobs,
  oldestPendingJobAgeSeconds,
  poolStats,
  type Database,
} from "@gatehouse/db";
import type { LiteLLMCallObserver } from "@gatehouse/litellm";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What the tRPC middleware reports about one procedure call. */
export interface ProcedureCall {
  path: string;
  type: string;
  durationMs: number;
  /** HTTP status the call answers with (200 on success). */
  httpStatus: number;
  /** tRPC error code, or null on success. */
  errorCode: string | null;
  /** The procedure's result on success (a merge's status is read from it). */
  output?: unknown;
}

/** The part of `Metrics` procedures see (through the context). */
export interface ProcedureObserver {
  observeProcedure(call: ProcedureCall): void;
}

const LOGIN = "auth.login";

function mergeStatus(output: unknown): string {
  const status =
    typeof output === "object" && output !== null && "status" in output ? output.status : undefined;
  return typeof status === "string" ? status.toLowerCase() : "started";
}
const MERGE = "teams.merge";

export class Metrics implements ProcedureObserver {
  readonly registry = new Registry();
  readonly #requestDuration: Histogram<"procedure" | "type" | "status_class">;
  readonly #errors: Counter<"procedure" | "code">;
  readonly #loginFailures: Counter<"reason">;
  readonly #rateLimited: Counter<"procedure">;
  readonly #merges: Counter<"outcome">;
  readonly #mergesSettled: Counter<"outcome">;
  readonly #litellmDuration: Histogram<"region" | "endpoint" | "outcome">;
  readonly #litellmErrors: Counter<"region" | "endpoint" | "kind">;

  constructor(db: Database, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    // Seconds, from a fast query to a slow proxy call.
    const histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Histogram<L>({
        name,
        help,
        labelNames,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers,
      });
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: "gatehouse_" });
    this.#requestDuration = histogram(
      "gatehouse_trpc_request_duration_seconds",
      "tRPC procedure call duration by procedure, type and HTTP status class",
      ["procedure", "type", "status_class"],
    );
    this.#errors = counter(
      "gatehouse_trpc_errors_total",
      "tRPC procedure errors by procedure and tRPC error code",
      ["procedure", "code"],
    );
    this.#loginFailures = counter(
      "gatehouse_login_failures_total",
      "Failed logins (wrong credentials, rate limited, bad input)",
      ["reason"],
    );
    this.#rateLimited = counter(
      "gatehouse_rate_limit_hits_total",
      "Calls refused with TOO_MANY_REQUESTS, by procedure",
      ["procedure"],
    );
    this.#merges = counter(
      "gatehouse_merges_total",
      "teams.merge calls by outcome: done (nothing to sync), syncing, or the refusal's error code",
      ["outcome"],
    );
    this.#mergesSettled = counter(
      "gatehouse_merges_settled_total",
      "Merges the worker finished syncing, by outcome (done, failed)",
      ["outcome"],
    );
    this.#litellmDuration = histogram(
      "gatehouse_litellm_request_duration_seconds",
      "LiteLLM proxy call duration by region, endpoint and outcome (ok/error)",
      ["region", "endpoint", "outcome"],
    );
    this.#litellmErrors = counter(
      "gatehouse_litellm_errors_total",
      "Failed LiteLLM proxy calls by region, endpoint and error kind",
      ["region", "endpoint", "kind"],
    );

    new Gauge({
      name: "gatehouse_db_pool_connections",
      help: "Database pool connections by state (in_use, idle)",
      labelNames: ["state"],
      registers,
      collect() {
        const stats = poolStats(db);
        this.set({ state: "in_use" }, stats.inUse);
        this.set({ state: "idle" }, stats.idle);
      },
    });
    new Gauge({
      name: "gatehouse_db_pool_waiting",
      help: "Requests waiting for a database connection",
      registers,
      collect() {
        this.set(poolStats(db).waiting);
      },
    });
    // DONE jobs accumulate forever and are not counted (that would scan them all); the
    // other states are few (db countUnfinishedJobs).
    new Gauge({
      name: "gatehouse_jobs",
      help: "Jobs not done yet, by state (pending, running, failed) and kind",
      labelNames: ["state", "kind"],
      registers,
      async collect() {
        this.reset();
        for (const row of await countUnfinishedJobs(db))
          this.set({ state: row.status.toLowerCase(), kind: row.kind }, row.count);
      },
    });
    new Gauge({
      name: "gatehouse_jobs_oldest_pending_age_seconds",
      help: "How long the oldest runnable pending job has waited (0 when none)",
      registers,
      async collect() {
        this.set(await oldestPendingJobAgeSeconds(db));
      },
    });
  }

  observeProcedure(call: ProcedureCall): void {
    const statusClass = `${Math.floor(call.httpStatus / 100)}xx`;
    this.#requestDuration.observe(
      { procedure: call.path, type: call.type, status_class: statusClass },
      call.durationMs / 1000,
    );
    if (call.errorCode) this.#errors.inc({ procedure: call.path, code: call.errorCode });
    if (call.errorCode === "TOO_MANY_REQUESTS") this.#rateLimited.inc({ procedure: call.path });
    if (call.path === LOGIN && call.errorCode) {
      const reason =
        call.errorCode === "UNAUTHORIZED"
          ? "bad_credentials"
          : call.errorCode === "TOO_MANY_REQUESTS"
            ? "rate_limited"
            : call.errorCode.toLowerCase();
      this.#loginFailures.inc({ reason });
    }
    if (call.path === MERGE)
      this.#merges.inc({
        outcome: call.errorCode ? call.errorCode.toLowerCase() : mergeStatus(call.output),
      });
  }

  /** The worker settled `count` merges (all their LiteLLM jobs done, or one failed for good). */
  mergesSettled(outcome: "done" | "failed", count: number): void {
    if (count > 0) this.#mergesSettled.inc({ outcome }, count);
  }

  /** An observer for one region's LiteLLM client. */
  litellmObserver(region: string): LiteLLMCallObserver {
    return (event) => {
      const endpoint = event.route;
      this.#litellmDuration.observe(
        { region, endpoint, outcome: event.error ? "error" : "ok" },
        event.durationMs / 1000,
      );
      if (event.error) this.#litellmErrors.inc({ region, endpoint, kind: event.error.kind });
    };
  }

  /** The exposition: `text/plain; version=0.0.4`. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
