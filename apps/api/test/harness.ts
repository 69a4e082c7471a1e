/**
 * Test harness: a real Gatehouse HTTP server on a fresh real database (PGlite or the
 * PostgreSQL server, see tooling/vitest), a controllable clock, and a tiny client that
 * speaks tRPC's plain-JSON wire format the way curl or a non-TypeScript service would.
 */
import http from "node:http";
import { createTestDatabase, type TestDatabase } from "@gatehouse/db/testing";
import { ManualClock } from "../src/clock.ts";
import { loadConfig, type AppConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { startHttpServer, type RunningServer } from "../src/server.ts";
import { hashToken, newOpaqueToken, SERVICE_TOKEN_PREFIX, SESSION_TOKEN_PREFIX } from "../src/auth/tokens.ts";
import { CSRF_HEADER } from "../src/http/csrf.ts";

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
  const server = await startHttpServer({ db, config, clock, logger }, { port: 0, host: "127.0.0.1" });
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
  if (credentials && "bearer" in credentials) headers.authorization = `Bearer ${credentials.bearer}`;
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
  data: { email: string; name?: string; isSystemAdmin?: boolean; isActive?: boolean; passwordHash?: string },
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
      absoluteExpiresAt: overrides.absoluteExpiresAt ?? new Date(now.getTime() + h.config.session.absoluteMs),
      revokedAt: overrides.revokedAt ?? null,
    },
  });
  return token;
}

export async function insertServiceToken(
  db: TestDatabase,
  scope: { admin: true } | { organizationId: string },
  revoked = false,
): Promise<string> {
  const token = newOpaqueToken(SERVICE_TOKEN_PREFIX);
  await db.prisma.serviceToken.create({
    data: {
      name: "test token",
      tokenHash: hashToken(token),
      scope: "admin" in scope ? "ADMIN" : "ORGANIZATION",
      organizationId: "admin" in scope ? null : scope.organizationId,
      revokedAt: revoked ? new Date() : null,
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
  options: { method?: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string },
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
      if (secret.length > 0 && value.includes(secret)) leaks.push(`${path}: known secret ${secret.slice(0, 8)}…`);
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
