/**
 * Test harness: a real Gatehouse HTTP server on a fresh real database (PGlite or the
 * PostgreSQL server, see tooling/vitest), a controllable clock, and a tiny client that
 * speaks tRPC's plain-JSON wire format the way curl or a non-TypeScript service would.
 */
import http from "node:http";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@gatehouse/db/testing";
import type { inferRouterOutputs } from "@trpc/server";
import { ManualClock } from "../src/clock.ts";
import { loadConfig, type AppConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { startHttpServer, type RunningServer } from "../src/server.ts";
import {
  hashToken,
  newOpaqueToken,
  SERVICE_TOKEN_PREFIX,
  SESSION_TOKEN_PREFIX,
} from "../src/auth/tokens.ts";
import { CSRF_HEADER } from "../src/http/csrf.ts";
import type { AppRouter } from "../src/routers/index.ts";

export interface Harness {
  db: TestDatabase;
  clock: ManualClock;
  config: AppConfig;
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

export async function startHarness(
  options: { env?: Record<string, string>; config?: Partial<AppConfig> } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const clock = new ManualClock(new Date());
  const config = { ...loadConfig({ ...options.env }), ...options.config };
  const logger = createLogger(process.env.GATEHOUSE_TEST_LOG ?? "silent");
  const server = await startHttpServer(
    { db, config, clock, logger },
    { port: 0, host: "127.0.0.1" },
  );
  return {
    db,
    clock,
    config,
    server,
    url: server.url,
    async close() {
      await server.stop(1000);
      await db.close();
    },
  };
}

/** How a call authenticates: a session cookie, a bearer service token, or nothing. */
export type Credentials = { cookie: string } | { bearer: string } | null;

/** Value at a dotted path ("teams.get") of a nested record. */
type AtPath<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? AtPath<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/**
 * What a procedure answers on the wire, by its dotted path: `callOk<Out<"teams.get">>(...)`.
 * Derived from the router (no transformer, so dates arrive as ISO strings), never re-typed
 * by hand in a test.
 */
export type Out<P extends string> = AtPath<inferRouterOutputs<AppRouter>, P>;

export interface CallResult<T = unknown> {
  status: number;
  ok: boolean;
  data: T;
  error: {
    message: string;
    data: {
      code: string;
      httpStatus: number;
      requestId: string | null;
      fieldErrors: Record<string, string[]> | null;
      details: Record<string, unknown> | null;
    };
  } | null;
  headers: Headers;
}

export interface CallOptions {
  credentials?: Credentials;
  /** Extra request headers (e.g. a hostile Origin). */
  headers?: Record<string, string>;
  /** Skip the same-origin header a browser or our client would send. */
  noCsrfHeader?: boolean;
}

/** Calls one procedure over HTTP: queries as GET, mutations as POST, no batching. */
export async function call<T = unknown>(
  baseUrl: string,
  type: "query" | "mutation",
  path: string,
  input: unknown,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const credentials = options.credentials;
  if (credentials && "cookie" in credentials) headers.cookie = `gh_session=${credentials.cookie}`;
  if (credentials && "bearer" in credentials)
    headers.authorization = `Bearer ${credentials.bearer}`;
  let response: Response;
  if (type === "query") {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    response = await fetch(`${baseUrl}/trpc/${path}${qs}`, { headers });
  } else {
    if (!options.noCsrfHeader) headers[CSRF_HEADER] = "1";
    headers["content-type"] = "application/json";
    response = await fetch(`${baseUrl}/trpc/${path}`, {
      method: "POST",
      headers,
      body: input === undefined ? undefined : JSON.stringify(input),
    });
  }
  const body = (await response.json()) as { result?: { data: T }; error?: CallResult["error"] };
  return {
    status: response.status,
    ok: response.ok,
    data: body.result?.data as T,
    error: body.error ?? null,
    headers: response.headers,
  };
}

/** Fixture helpers that write straight to the database (fast: no argon2, no HTTP). */
export async function insertUser(
  db: TestDatabase,
  data: {
    email: string;
    name?: string;
    isSystemAdmin?: boolean;
    isActive?: boolean;
    passwordHash?: string;
  },
): Promise<string> {
  const user = await db.prisma.user.create({
    data: {
      email: data.email,
      name: data.name ?? data.email.split("@")[0]!,
      passwordHash: data.passwordHash ?? "not-a-real-hash",
      isSystemAdmin: data.isSystemAdmin ?? false,
      isActive: data.isActive ?? true,
    },
    select: { id: true },
  });
  return user.id;
}

/** A live session for a user, as if they had logged in at `now`; returns the cookie token. */
export async function insertSession(
  h: Harness,
  userId: string,
  overrides: { idleExpiresAt?: Date; absoluteExpiresAt?: Date; revokedAt?: Date | null } = {},
): Promise<string> {
  const now = h.clock.now();
  const user = await h.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const idle = user.isSystemAdmin ? h.config.session.adminIdleMs : h.config.session.userIdleMs;
  const token = newOpaqueToken(SESSION_TOKEN_PREFIX);
  await h.db.prisma.session.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: overrides.idleExpiresAt ?? new Date(now.getTime() + idle),
      absoluteExpiresAt:
        overrides.absoluteExpiresAt ?? new Date(now.getTime() + h.config.session.absoluteMs),
      revokedAt: overrides.revokedAt ?? null,
    },
  });
  return token;
}

/**
 * A service token. A token acts with at most its creator's current rights, so it needs
 * one: `createdById`, or else a fresh active system admin made for it (who can back
 * either scope). Pass the creator when the test is about that person's rights.
 */
export async function insertServiceToken(
  db: TestDatabase,
  scope: { admin: true } | { organizationId: string },
  revoked = false,
  options: { createdById?: string; name?: string } = {},
): Promise<string> {
  const token = newOpaqueToken(SERVICE_TOKEN_PREFIX);
  const createdById =
    options.createdById ??
    (await insertUser(db, {
      email: `token-creator-${crypto.randomUUID()}@tokens.test`,
      isSystemAdmin: true,
    }));
  await db.prisma.serviceToken.create({
    data: {
      name: options.name ?? "test token",
      tokenHash: hashToken(token),
      scope: "admin" in scope ? "ADMIN" : "ORGANIZATION",
      organizationId: "admin" in scope ? null : scope.organizationId,
      revokedAt: revoked ? new Date() : null,
      createdById,
    },
  });
  return token;
}

/* ---------------------------------------------------------------------------------------
 * Helpers added for the authorization matrix and the session/security/user/token suites.
 * -------------------------------------------------------------------------------------*/

export async function insertOrganization(db: TestDatabase, name: string): Promise<string> {
  const org = await db.prisma.organization.create({ data: { name }, select: { id: true } });
  return org.id;
}

export async function insertTeam(
  db: TestDatabase,
  data: { name: string; organizationId: string | null },
): Promise<string> {
  const team = await db.prisma.team.create({ data, select: { id: true } });
  return team.id;
}

export async function addOrgMember(
  db: TestDatabase,
  organizationId: string,
  userId: string,
  role: "ORG_ADMIN" | "MEMBER",
): Promise<void> {
  await db.prisma.organizationMember.create({ data: { organizationId, userId, role } });
}

export async function addTeamMember(
  db: TestDatabase,
  teamId: string,
  userId: string,
  role: "ADMIN" | "MEMBER" | "KEY_CREATOR" | "READ_ONLY",
): Promise<void> {
  await db.prisma.teamMember.create({ data: { teamId, userId, role } });
}

/** The row id behind a session cookie token (tests hold tokens, procedures take ids). */
export async function sessionIdOf(db: TestDatabase, token: string): Promise<string> {
  const row = await db.prisma.session.findUniqueOrThrow({
    where: { tokenHash: hashToken(token) },
    select: { id: true },
  });
  return row.id;
}

/** The row id behind a service token secret. */
export async function serviceTokenIdOf(db: TestDatabase, token: string): Promise<string> {
  const row = await db.prisma.serviceToken.findUniqueOrThrow({
    where: { tokenHash: hashToken(token) },
    select: { id: true },
  });
  return row.id;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request through node:http rather than fetch, because fetch silently drops a
 * `Host` header and the cookie/CSRF rules depend on it (a non-local Host means Secure +
 * `__Host-` cookies, and is the origin a same-origin request must match).
 */
export async function rawRequest(
  baseUrl: string,
  options: {
    method?: "GET" | "POST";
    path: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const SECRET_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: "argon2 password hash", pattern: /\$argon2/i },
  // SHA-256 hex is how session and service token hashes are stored.
  { name: "64-hex token hash", pattern: /(?:^|[^0-9a-f])[0-9a-f]{64}(?:[^0-9a-f]|$)/i },
  // No procedure ever returns a session token in a body: login sets it as a cookie only.
  { name: "session token", pattern: /ghs_[A-Za-z0-9_-]{16,}/ },
];

/**
 * Walks a decoded JSON body and names every value that is (or contains) a secret: an
 * argon2 hash, a 64-hex token hash, a session token, or one of `known` (fixture tokens,
 * region master keys, password hashes). Keys are checked too, so a `passwordHash` or
 * `litellmMasterKey` field is reported even when its value looks harmless.
 */
export function findSecretLeaks(value: unknown, known: readonly string[], path = "$"): string[] {
  const leaks: string[] = [];
  if (typeof value === "string") {
    for (const { name, pattern } of SECRET_PATTERNS) {
      if (pattern.test(value)) leaks.push(`${path}: ${name}`);
    }
    for (const secret of known) {
      if (secret.length > 0 && value.includes(secret))
        leaks.push(`${path}: known secret ${secret.slice(0, 8)}…`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => leaks.push(...findSecretLeaks(item, known, `${path}[${i}]`)));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (/passwordhash|tokenhash|masterkey|password_hash|token_hash|master_key/i.test(key)) {
        leaks.push(`${path}.${key}: secret-bearing field`);
      }
      leaks.push(...findSecretLeaks(item, known, `${path}.${key}`));
    }
  }
  return leaks;
}

export interface ProcedureEntry {
  path: string;
  type: "query" | "mutation" | "subscription";
}

/**
 * Every procedure of a router, by dotted path. At runtime tRPC keeps them in a flat map
 * (`_def.procedures["users.create"]`) although the type describes the nested record, hence
 * the assertion. Lazy-loaded sub-routers would appear only once loaded; Gatehouse has none.
 */
export function listProcedures(router: { _def: { procedures: object } }): ProcedureEntry[] {
  const flat = router._def.procedures as Record<string, { _def: { type: ProcedureEntry["type"] } }>;
  return Object.entries(flat).map(([path, procedure]) => ({ path, type: procedure._def.type }));
}

/* ---------------------------------------------------------------------------------------
 * Helpers added for the merge, keys and worker suites: a LiteLLM contract server (real
 * HTTP), a region pointing at it, and a real job worker sharing the test database.
 * -------------------------------------------------------------------------------------*/

// Imported here rather than at the top: this block is appended to a shared file.
import {
  startContractServer,
  type ContractProfile,
  type ContractServer,
} from "@gatehouse/litellm/contract-server";
import type { Logger } from "../src/logger.ts";
import { startWorker, type Worker, type WorkerOptions } from "../src/worker/worker.ts";

export const LITELLM_MASTER_KEY = "sk-test-master-gatehouse-1";

export interface SyncHarness extends Harness {
  litellm: ContractServer;
  /** The in-process worker the API nudges; throws while stopped (see stopWorker). */
  readonly worker: Worker;
  /** A region (active) whose LiteLLM is `litellm`; its name has a space on purpose. */
  region: { id: string; name: string };
  /** The API's logger, for extra workers started by a test. */
  logger: Logger;
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

/**
 * Like startHarness, plus a LiteLLM contract server, a region on it and a worker wired to
 * the API (`ctx.jobs.nudge()` reaches it), all torn down by `close()`.
 */
export async function startSyncHarness(
  options: {
    worker?: WorkerOptions;
    regionName?: string;
    env?: Record<string, string>;
    litellmProfile?: ContractProfile;
  } = {},
): Promise<SyncHarness> {
  const db = await createTestDatabase();
  const clock = new ManualClock(new Date());
  const config = loadConfig({ ...options.env });
  const logger = createLogger(process.env.GATEHOUSE_TEST_LOG ?? "silent");
  // Open-source LiteLLM unless a test says otherwise: what most deployments run.
  const litellm = await startContractServer({
    masterKey: LITELLM_MASTER_KEY,
    port: 0,
    profile: options.litellmProfile ?? "oss",
  });
  const region = await insertRegion(db, {
    name: options.regionName ?? "eu west",
    url: litellm.url,
  });
  // A short poll keeps retries that a test made due (run_at = now()) from waiting long.
  const defaults: WorkerOptions = {
    pollIntervalMs: 50,
    requestTimeoutMs: 2_000,
    secretsKey: config.secretsKey,
    previousSecretsKeys: config.previousSecretsKeys,
    // The same default entitlement as the API's (GATEHOUSE_DEFAULT_ENTITLEMENT in `env`).
    defaultEntitlement: config.defaultEntitlement,
    ...options.worker,
  };
  let current: Worker | null = startWorker({ db, logger }, defaults);
  const jobs = { nudge: () => current?.nudge() };
  const server = await startHttpServer(
    { db, config, clock, logger, jobs },
    { port: 0, host: "127.0.0.1" },
  );
  const running = (): Worker => {
    if (!current) throw new Error("the harness worker is stopped");
    return current;
  };
  return {
    db,
    clock,
    config,
    server,
    url: server.url,
    litellm,
    get worker() {
      return running();
    },
    region,
    logger,
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
      await server.stop(1000);
      await current?.stop();
      await litellm.stop();
      await db.close();
    },
  };
}

export async function insertRegion(
  db: TestDatabase,
  data: { name: string; url: string; masterKey?: string; isActive?: boolean },
): Promise<{ id: string; name: string }> {
  return db.prisma.region.create({
    data: {
      name: data.name,
      litellmBaseUrl: data.url,
      litellmMasterKey: data.masterKey ?? LITELLM_MASTER_KEY,
      isActive: data.isActive ?? true,
    },
    select: { id: true, name: true },
  });
}

/** A user with a live session; returns the id and ready-to-use credentials. */
export async function insertUserWithSession(
  h: Harness,
  data: { email: string; isSystemAdmin?: boolean },
): Promise<{ id: string; creds: Credentials }> {
  const id = await insertUser(h.db, data);
  return { id, creds: { cookie: await insertSession(h, id) } };
}

/** Calls that must succeed: returns the data, or throws with the error (readable failures). */
export async function callOk<T>(
  baseUrl: string,
  type: "query" | "mutation",
  path: string,
  input: unknown,
  credentials: Credentials,
): Promise<T> {
  const result = await call<T>(baseUrl, type, path, input, { credentials });
  if (!result.ok)
    throw new Error(`${path} failed (${result.status}): ${JSON.stringify(result.error)}`);
  return result.data;
}

/**
 * Resolves once `count` sessions of this database wait on a lock. On PGlite this returns at
 * once: its socket server runs one transaction at a time, so a second transaction simply
 * queues (and a query from another connection would itself queue behind the holder).
 */
export async function waitForLockWaiters(
  db: TestDatabase,
  count = 1,
  timeoutMs = 10_000,
): Promise<void> {
  if (db.backend === "pglite") return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`no ${count} lock waiter(s) within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise and its resolver: a barrier a test opens when it is ready. */
export function barrier(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Many live sessions in one round trip (the authorization matrix needs a fresh one per
 * cell). Same defaults as `insertSession`; returns the cookie tokens in request order.
 */
export async function insertSessions(
  h: Harness,
  requests: readonly { userId: string; idleExpiresAt?: Date; revokedAt?: Date | null }[],
): Promise<string[]> {
  const now = h.clock.now();
  const admins = new Set(
    (
      await h.db.prisma.user.findMany({
        where: { id: { in: [...new Set(requests.map((r) => r.userId))] }, isSystemAdmin: true },
        select: { id: true },
      })
    ).map((u) => u.id),
  );
  const tokens = requests.map(() => newOpaqueToken(SESSION_TOKEN_PREFIX));
  await h.db.prisma.session.createMany({
    data: requests.map((r, i) => {
      const idle = admins.has(r.userId)
        ? h.config.session.adminIdleMs
        : h.config.session.userIdleMs;
      return {
        tokenHash: hashToken(tokens[i]!),
        userId: r.userId,
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: r.idleExpiresAt ?? new Date(now.getTime() + idle),
        absoluteExpiresAt: new Date(now.getTime() + h.config.session.absoluteMs),
        revokedAt: r.revokedAt ?? null,
      };
    }),
  });
  return tokens;
}

/**
 * Runs `run` while the database refuses to record audit events with this action (a
 * trigger raising an error), then removes the trigger. A mutation whose change survives
 * the refusal did not write its event in the same transaction as the change.
 */
export async function withAuditRefused(
  db: TestDatabase,
  action: string,
  run: () => Promise<void>,
): Promise<void> {
  if (!/^[A-Za-z.]+$/.test(action)) throw new Error(`unexpected audit action ${action}`);
  await db.pool
    .query(`CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit refused by test'; END $$`);
  await db.pool.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events
    FOR EACH ROW WHEN (NEW.action = '${action}') EXECUTE FUNCTION test_refuse_audit()`);
  try {
    await run();
  } finally {
    await db.pool.query(`DROP TRIGGER test_refuse_audit ON audit_events`);
  }
}

/**
 * Round trips made while `fn` runs, counted on the wire: each simple query message and each
 * Sync (the end of an extended-protocol query: Parse/Bind/Execute) is one round trip.
 * Counted at pg's Connection, below the pool: a pooled client's `query` is wrapped when it
 * connects (client.ts guardPooledClient), so patching Client#query missed every query on
 * a client connected before the count began, and counted nothing.
 */
export async function countRoundTrips(fn: () => Promise<unknown>): Promise<number> {
  const proto = (pg as unknown as { Connection: { prototype: Record<string, unknown> } }).Connection
    .prototype as Record<"query" | "sync", (this: unknown, ...args: unknown[]) => unknown>;
  const original = { query: proto.query, sync: proto.sync };
  let count = 0;
  for (const name of ["query", "sync"] as const) {
    proto[name] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original[name].apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    proto.query = original.query;
    proto.sync = original.sync;
  }
  return count;
}
