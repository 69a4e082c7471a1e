/**
 * The one test harness: a real Gatehouse HTTP server (src/server.ts) on a fresh real
 * database (PGlite or the PostgreSQL server, see tooling/vitest) with a controllable clock.
 * Options add what a suite needs and nothing more:
 * - `litellm`: a LiteLLM contract server over real HTTP, an active region on it, and a real
 *   job worker the API nudges (returns a `SyncHarness`);
 * - `smtp`: a real SMTP receiver on loopback (smtp.ts) that `config.mail.smtpUrl` points
 *   at, and the worker that sends the mails (returns a `MailHarness`, `h.smtp`);
 * - `worker`: the worker alone (no LiteLLM, no SMTP: mails go to the local outbox);
 * - `serialPglite`, `apiUrl`, the timeouts: the API's own pool (one connection on PGlite,
 *   or through a fault proxy) for the resilience and bad-input suites;
 * - `startServer`: a second server on the same database with other settings (another
 *   configuration, a metrics registry, a worker's heartbeat), stopped by `close()`.
 * How tests call it lives in http.ts (wire calls) and caller.ts (in-process callers); what
 * they put in the database in fixtures.ts.
 */
import { createDatabase, type Database } from "@gatehouse/db";
import { createTestDatabase, testBackend, type TestDatabase } from "@gatehouse/db/testing";
import {
  startContractServer,
  type ContractProfile,
  type ContractServer,
} from "@gatehouse/litellm/contract-server";
import { ManualClock } from "../../src/clock.ts";
import { loadConfig, publicUrlOf, type AppConfig } from "../../src/config.ts";
import type { AppDeps } from "../../src/context.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { startHttpServer, type RunningServer } from "../../src/server.ts";
import { startWorker, type Worker, type WorkerOptions } from "../../src/worker/worker.ts";
import { insertRegion, LITELLM_MASTER_KEY, people, type PersonMaker } from "./fixtures.ts";
import { startSmtpReceiver, type SmtpReceiver } from "./smtp.ts";
import { call, callOk, type CallOptions, type CallResult, type Credentials } from "./http.ts";

export { LITELLM_MASTER_KEY };

/**
 * PGlite's socket server interleaves the protocol messages of concurrent connections; one
 * pooled connection keeps its statements whole. Suites that test other things than
 * concurrency (faults, bad input, processes) use it so they do not trip over that.
 */
export const pglitePoolMax = (): number | undefined => (testBackend() === "pglite" ? 1 : undefined);

/** What a second server on the harness's database may change. */
export type ServerOverrides = Partial<Pick<AppDeps, "config" | "logger" | "metrics" | "jobs">>;

export interface Harness {
  /** The test database, reached directly (fixtures, assertions). */
  db: TestDatabase;
  /** The API's own pool: `db`, unless `apiUrl` routed it elsewhere (a fault proxy). */
  apiDb: Database;
  clock: ManualClock;
  config: AppConfig;
  logger: Logger;
  server: RunningServer;
  url: string;
  /** `call` on this server: a query (GET) or a mutation (POST), any answer. */
  query<T = unknown>(path: string, input: unknown, options?: CallOptions): Promise<CallResult<T>>;
  mutation<T = unknown>(
    path: string,
    input: unknown,
    options?: CallOptions,
  ): Promise<CallResult<T>>;
  /** `callOk` on this server: the data, or a readable failure. */
  queryOk<T>(path: string, input: unknown, credentials: Credentials): Promise<T>;
  mutationOk<T>(path: string, input: unknown, credentials: Credentials): Promise<T>;
  /** Another API server on the same database and clock, with some deps replaced. */
  startServer(overrides: ServerOverrides): Promise<RunningServer>;
  close(): Promise<void>;
}

/** A harness with an in-process job worker the API nudges. */
export interface WorkerHarness extends Harness {
  /** The in-process worker the API nudges; throws while stopped (see stopWorker). */
  readonly worker: Worker;
  /** Resolves once the in-process worker has no runnable job and nothing in flight. */
  drain(): Promise<void>;
  /**
   * Drains until every job is DONE, making jobs that wait on a backoff due at once (a test
   * need not sleep through them); throws, listing the jobs left, if they do not converge.
   */
  converge(): Promise<void>;
  /** Stops the in-process worker (jobs then stay queued until startWorker). */
  stopWorker(): Promise<void>;
  /** Starts a new in-process worker (after stopWorker), which the API then nudges. */
  startWorker(options?: WorkerOptions): Worker;
}

export interface SyncHarness extends WorkerHarness {
  litellm: ContractServer;
  /** A region (active) whose LiteLLM is `litellm`; its name has a space on purpose. */
  region: { id: string; name: string };
  /** One more region, on a contract server of its own (stopped by `close()`). */
  addRegion(
    name: string,
    profile?: ContractProfile,
  ): Promise<{ region: { id: string; name: string }; litellm: ContractServer }>;
  /** Clears the faults a test injected into every contract server of the harness. */
  resetFaults(): Promise<void>;
}

/** A worker harness whose mail goes over SMTP to `smtp` (config.mail.smtpUrl). */
export interface MailHarness extends WorkerHarness {
  smtp: SmtpReceiver;
}

export interface LiteLLMOptions {
  worker?: WorkerOptions;
  regionName?: string;
  /** Open-source LiteLLM unless a test says otherwise: what most deployments run. */
  profile?: ContractProfile;
}

export interface HarnessOptions {
  /** Environment the configuration is loaded from (nothing else is read). */
  env?: Record<string, string>;
  /** Settings replaced after loading. */
  config?: Partial<AppConfig>;
  /** Use this database instead of a fresh one (it is closed with the harness). */
  db?: TestDatabase;
  /** One pooled connection on PGlite (see pglitePoolMax). */
  serialPglite?: boolean;
  /** Route the API's pool through this URL instead of the database's own. */
  apiUrl?: (db: TestDatabase) => Promise<string> | string;
  connectionTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** The API's logger (default: silent unless GATEHOUSE_TEST_LOG), e.g. to capture lines. */
  logger?: Logger;
  /** A LiteLLM contract server, a region on it and an in-process worker. */
  litellm?: LiteLLMOptions | true;
  /** An SMTP receiver the mail goes to, and an in-process worker that sends it. */
  smtp?: boolean;
  /** An in-process worker (with these options), without LiteLLM or SMTP. */
  worker?: WorkerOptions | true;
}

export function startHarness(
  options: HarnessOptions & { litellm: LiteLLMOptions | true; smtp: true },
): Promise<SyncHarness & MailHarness>;
export function startHarness(
  options: HarnessOptions & { litellm: LiteLLMOptions | true },
): Promise<SyncHarness>;
export function startHarness(options: HarnessOptions & { smtp: true }): Promise<MailHarness>;
export function startHarness(
  options: HarnessOptions & { worker: WorkerOptions | true },
): Promise<WorkerHarness>;
export function startHarness(options?: HarnessOptions): Promise<Harness>;
export async function startHarness(
  options: HarnessOptions = {},
): Promise<Harness | WorkerHarness | SyncHarness | MailHarness> {
  const poolMax = options.serialPglite ? pglitePoolMax() : undefined;
  const db = options.db ?? (await createTestDatabase(poolMax ? { poolMax } : {}));
  const apiDb = options.apiUrl
    ? createDatabase({
        url: await options.apiUrl(db),
        poolMax: poolMax ?? 10,
        ...(options.connectionTimeoutMs
          ? { connectionTimeoutMs: options.connectionTimeoutMs }
          : {}),
        ...(options.queryTimeoutMs ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
      })
    : db;
  const clock = new ManualClock(new Date());
  const config = { ...loadConfig({ ...options.env }), ...options.config };
  const logger = options.logger ?? createLogger(process.env.GATEHOUSE_TEST_LOG ?? "silent");
  const extraServers: RunningServer[] = [];
  const base = { db, apiDb, clock, config, logger };
  const startServer = async (
    overrides: ServerOverrides,
    deps: AppDeps = { ...base, db: apiDb },
  ) => {
    const server = await startHttpServer({ ...deps, ...overrides }, { port: 0, host: "127.0.0.1" });
    extraServers.push(server);
    return server;
  };
  const calls = (url: string) => ({
    query: <T>(path: string, input: unknown, options?: CallOptions) =>
      call<T>(url, "query", path, input, options),
    mutation: <T>(path: string, input: unknown, options?: CallOptions) =>
      call<T>(url, "mutation", path, input, options),
    queryOk: <T>(path: string, input: unknown, credentials: Credentials) =>
      callOk<T>(url, "query", path, input, credentials),
    mutationOk: <T>(path: string, input: unknown, credentials: Credentials) =>
      callOk<T>(url, "mutation", path, input, credentials),
  });
  const closeCommon = async (server: RunningServer) => {
    for (const extra of extraServers.splice(0)) await extra.stop(1000);
    await server.stop(1000);
  };
  const closeDatabases = async () => {
    if (apiDb !== db) await apiDb.close();
    await db.close();
  };

  if (!options.litellm && !options.smtp && !options.worker) {
    const server = await startHttpServer({ ...base, db: apiDb }, { port: 0, host: "127.0.0.1" });
    // Links in mails and the SSO redirect URI name the port the server got.
    config.publicUrl ??= server.url;
    return {
      ...base,
      server,
      url: server.url,
      ...calls(server.url),
      startServer: (overrides) => startServer(overrides),
      async close() {
        await closeCommon(server);
        await closeDatabases();
      },
    };
  }

  const sync = options.litellm === true ? {} : (options.litellm ?? null);
  const servers: ContractServer[] = [];
  let litellm: { server: ContractServer; region: { id: string; name: string } } | null = null;
  if (sync) {
    const server = await startContractServer({
      masterKey: LITELLM_MASTER_KEY,
      port: 0,
      profile: sync.profile ?? "oss",
    });
    servers.push(server);
    const region = await insertRegion(db, { name: sync.regionName ?? "eu west", url: server.url });
    litellm = { server, region };
  }
  // Before the worker starts: it opens its SMTP transport from config.mail.
  const smtp = options.smtp ? await startSmtpReceiver() : null;
  if (smtp) config.mail = { ...config.mail, smtpUrl: smtp.url };
  // A short poll keeps retries that a test made due (run_at = now()) from waiting long.
  const defaults: WorkerOptions = {
    pollIntervalMs: 50,
    requestTimeoutMs: 2_000,
    secretsKey: config.secretsKey,
    previousSecretsKeys: config.previousSecretsKeys,
    // The same default entitlement as the API's (GATEHOUSE_DEFAULT_ENTITLEMENT in `env`).
    defaultEntitlement: config.defaultEntitlement,
    mail: config.mail,
    // Read at job time: the server (and so config.publicUrl) starts after the worker.
    publicUrl: () => publicUrlOf(config),
    clock,
    webhooks: { allowHttp: config.webhooks.allowHttp },
    ...sync?.worker,
    ...(options.worker === true ? {} : options.worker),
  };
  let current: Worker | null = startWorker({ db, logger }, defaults);
  const running = (): Worker => {
    if (!current) throw new Error("the harness worker is stopped");
    return current;
  };
  const jobs = { nudge: () => current?.nudge() };
  const deps: AppDeps = { ...base, db: apiDb, jobs };
  const server = await startHttpServer(deps, { port: 0, host: "127.0.0.1" });
  config.publicUrl ??= server.url;
  const workerHarness: WorkerHarness = {
    ...base,
    server,
    url: server.url,
    ...calls(server.url),
    startServer: (overrides) => startServer(overrides, deps),
    get worker() {
      return running();
    },
    drain: () => running().drained(),
    async converge() {
      for (let i = 0; i < 20; i++) {
        await running().drained();
        const { rows } = await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM jobs WHERE status <> 'DONE'`,
        );
        if (rows[0]!.n === 0) return;
        await db.pool.query(`UPDATE jobs SET run_at = now() WHERE status = 'PENDING'`);
      }
      const { rows } = await db.pool.query(
        `SELECT kind, status, last_error FROM jobs WHERE status <> 'DONE'`,
      );
      throw new Error(`jobs did not converge: ${JSON.stringify(rows)}`);
    },
    async stopWorker() {
      const worker = current;
      current = null;
      await worker?.stop();
    },
    startWorker(workerOptions) {
      if (current) throw new Error("the harness worker is already running");
      current = startWorker({ db, logger }, { ...defaults, ...workerOptions });
      return current;
    },
    async close() {
      await closeCommon(server);
      await current?.stop();
      for (const contract of servers) await contract.stop();
      await smtp?.close();
      await closeDatabases();
    },
  };
  // Spread would read the `worker` getter once (and throw after stopWorker): extend in place.
  const extended: WorkerHarness & Partial<SyncHarness & MailHarness> = workerHarness;
  if (smtp) extended.smtp = smtp;
  if (litellm) {
    Object.assign(extended, {
      litellm: litellm.server,
      region: litellm.region,
      async addRegion(name: string, profile: ContractProfile = "oss") {
        const extra = await startContractServer({
          masterKey: LITELLM_MASTER_KEY,
          port: 0,
          profile,
        });
        servers.push(extra);
        return { region: await insertRegion(db, { name, url: extra.url }), litellm: extra };
      },
      async resetFaults() {
        for (const contract of servers) await contract.faults.reset();
      },
    } satisfies Pick<SyncHarness, "litellm" | "region" | "addRegion" | "resetFaults">);
  }
  return extended;
}

/**
 * Settings for the login-limit suites: behind one trusted proxy, 3 failures per (account,
 * address), 6 per account from any address, and `perAddress` per address.
 */
export const trustedProxyLoginEnv = (perAddress: number): Record<string, string> => ({
  GATEHOUSE_TRUST_PROXY: "1",
  GATEHOUSE_LOGIN_MAX_PER_ACCOUNT: "3",
  GATEHOUSE_LOGIN_MAX_PER_ACCOUNT_ANY_ADDRESS: "6",
  GATEHOUSE_LOGIN_MAX_PER_ADDRESS: String(perAddress),
});

/** A harness, a maker of people at `domain` and a system admin: what most suites start from. */
export async function startWithRoot(
  domain: string,
): Promise<{ h: Harness; person: PersonMaker; root: Credentials }> {
  const h = await startHarness();
  const person = people(h, domain);
  return { h, person, root: (await person("root", { isSystemAdmin: true })).creds };
}

/** Runs the worker until every job is DONE; jobs waiting on a backoff are made due, not slept through. */
export async function drainUntilDone(h: WorkerHarness, rounds = 15): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await h.drain();
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE status <> 'DONE'`,
    );
    if (rows[0]!.n === 0) return;
    await h.db.pool.query(`UPDATE jobs SET run_at = now() WHERE status = 'PENDING'`);
  }
  throw new Error("jobs did not converge");
}

/**
 * Worker options whose expiry sweep runs only when a test says so (`enforceDue`), on the
 * test's clock; the hour-long interval only keeps the schedule enabled.
 */
export const sweepOnDemand = (
  now: () => Date,
  grace: { extraGraceDays: number; spendRetentionDays?: number; rateLimitRetentionMs?: number },
): WorkerOptions => ({
  enforce: { intervalMs: 3_600_000, expiryGraceDays: 30, ...grace, now },
});
