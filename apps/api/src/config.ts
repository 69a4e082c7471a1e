/**
 * Runtime configuration from the environment, validated once at start-up so a bad value
 * is a one-line error instead of a surprise later. The one place of the API (server,
 * worker, CLI, database pool, embedded PGlite, demo) that reads process.env: everything
 * else gets an AppConfig, and packages/db gets its settings as parameters. The lint rule
 * in tooling/eslint holds the rest of the code to that.
 */
import {
  defaultSessionPolicy,
  UNLIMITED,
  ZProductLimits,
  type SessionPolicy,
  type TProductLimits,
} from "@gatehouse/core";
import { z } from "zod";
import { parseSecretsKey } from "./secrets.ts";

/**
 * The job worker's defaults, written once: the schema below applies them to the
 * environment, and startWorker to options a caller (a test, the bench) leaves out.
 */
export const WORKER_DEFAULTS = {
  /** LiteLLM calls in flight at once. */
  concurrency: 32,
  /** How long a claimed job stays a worker's before another may take it over (above the request timeout). */
  leaseMs: 60_000,
  /** How often to look for work when the queue seemed empty. */
  pollIntervalMs: 500,
  /** LiteLLM request timeout. */
  requestTimeoutMs: 10_000,
} as const;

const minutes = (fallback: number) => z.coerce.number().positive().default(fallback);
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = () => z.coerce.number().int().positive();

/** The spellings zod's stringbool accepted before (lower case). */
const TRUTHY = ["true", "1", "yes", "on", "y", "enabled"];
const FALSY = ["false", "0", "no", "off", "n", "disabled"];

/** An on/off switch: true/false, 1/0, yes/no, on/off. */
const onOff = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw?.trim().toLowerCase() ?? "";
      if (value === "") return fallback;
      if (TRUTHY.includes(value)) return true;
      if (FALSY.includes(value)) return false;
      ctx.addIssue({ code: "custom", message: `expected on or off, got "${raw}"` });
      return z.NEVER;
    });

export const EnvSchema = z.object({
  PORT: port(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Origins allowed to send cookie-authenticated mutations, comma separated. */
  GATEHOUSE_ALLOWED_ORIGINS: z.string().optional(),
  GATEHOUSE_SESSION_USER_IDLE_MINUTES: minutes(defaultSessionPolicy.userIdleMs / 60_000),
  GATEHOUSE_SESSION_ADMIN_IDLE_MINUTES: minutes(defaultSessionPolicy.adminIdleMs / 60_000),
  GATEHOUSE_SESSION_ABSOLUTE_MINUTES: minutes(defaultSessionPolicy.absoluteMs / 60_000),
  /**
   * How long a session lookup may be answered from memory (auth/session-cache.ts; only on a
   * PostgreSQL server, while every auth change is heard); 0 disables.
   */
  GATEHOUSE_SESSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** Failed logins per window for one account from one address (the tight limit). */
  GATEHOUSE_LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  /** Failed logins per window for one account from all addresses; default 10x the above. */
  GATEHOUSE_LOGIN_MAX_PER_ACCOUNT_ANY_ADDRESS: z.coerce.number().int().positive().optional(),
  /** Failed logins per window from one address, whatever the account. */
  GATEHOUSE_LOGIN_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(50),
  GATEHOUSE_LOGIN_WINDOW_MINUTES: minutes(15),
  /** Password reset requests per window for one email address (existing or not). */
  GATEHOUSE_PASSWORD_RESET_MAX_PER_EMAIL: z.coerce.number().int().positive().default(5),
  /** Password reset requests per window from one address group, whatever the email. */
  GATEHOUSE_PASSWORD_RESET_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  GATEHOUSE_EXPIRY_GRACE_DAYS: z.coerce.number().int().positive().default(30),
  GATEHOUSE_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  /** Directory of the built web app to serve from the API origin, if any. */
  GATEHOUSE_WEB_DIST: z.string().optional(),
  /**
   * How many proxies in front of the API append to X-Forwarded-For: the client address is
   * the entry that many places from the right (the one the outermost trusted proxy saw).
   * `true`/`1` = one proxy; `false`/`0` = none (use the socket's address).
   */
  GATEHOUSE_TRUST_PROXY: z
    .string()
    .default("false")
    .transform((raw, ctx) => {
      const value = raw.trim().toLowerCase();
      if (["", ...FALSY].includes(value)) return 0;
      if (TRUTHY.includes(value)) return 1;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      ctx.addIssue({
        code: "custom",
        message: `expected true, false or a number of proxy hops, got "${raw}"`,
      });
      return z.NEVER;
    }),
  /** PostgreSQL connection string; unset: the embedded PGlite database. */
  DATABASE_URL: z.string().optional(),
  /** Folder of the embedded database (packages/db's default: `.data` at the repository root). */
  GATEHOUSE_DATA_DIR: z.string().optional(),
  /** Connections per process against DATABASE_URL (the embedded database always uses 1). */
  GATEHOUSE_DB_POOL_MAX: positiveInt().max(1000).default(10),
  GATEHOUSE_PGLITE_PORT: port(54329),
  /** `off`: `npm start` / `start` serve the API without the in-process worker. */
  GATEHOUSE_WORKER: onOff(true),
  GATEHOUSE_WORKER_CONCURRENCY: positiveInt().max(10_000).default(WORKER_DEFAULTS.concurrency),
  GATEHOUSE_WORKER_LEASE_MS: positiveInt().default(WORKER_DEFAULTS.leaseMs),
  GATEHOUSE_WORKER_POLL_MS: positiveInt().default(WORKER_DEFAULTS.pollIntervalMs),
  GATEHOUSE_WORKER_REQUEST_TIMEOUT_MS: positiveInt().default(WORKER_DEFAULTS.requestTimeoutMs),
  /** Seed the demo data set (and its LiteLLM contract server) on a DATABASE_URL database too. */
  GATEHOUSE_DEMO: onOff(false),
  GATEHOUSE_DEMO_LITELLM_PORT: port(4010),
  GATEHOUSE_DEMO_LITELLM_MASTER_KEY: z.string().min(8).default("sk-demo-master-key"),
  /** Operator key sealing key secrets at rest (see secrets.ts); unset: secrets not kept. */
  GATEHOUSE_SECRETS_KEY: z.string().optional(),
  /** During a rotation: the key(s) GATEHOUSE_SECRETS_KEY replaces, comma-separated. */
  GATEHOUSE_SECRETS_KEY_PREVIOUS: z.string().optional(),
  /** How often the worker reconciles each active region with its proxy; 0 disables. */
  GATEHOUSE_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** How often the worker reads each active region's spend (teams and keys); 0 disables. */
  GATEHOUSE_SPEND_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  /** Bearer token that unlocks GET /metrics on the API's own port (unset: no /metrics there). */
  GATEHOUSE_METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  /** `host:port` of a separate listener that serves only /metrics, without a token. */
  GATEHOUSE_METRICS_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, "expected host:port")
    .optional(),
  /**
   * Limits of a team with no active product (core ZProductLimits as JSON, e.g. trial limits
   * `{"maxKeys":1,"maxBudgetUsd":5,"budgetDuration":"30d"}`); unset: no limits.
   */
  GATEHOUSE_DEFAULT_ENTITLEMENT: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return UNLIMITED;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: "expected JSON (core ZProductLimits)" });
        return z.NEVER;
      }
      const parsed = ZProductLimits.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        ctx.addIssue({
          code: "custom",
          message: `${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
        });
        return z.NEVER;
      }
      return parsed.data;
    }),
  /** How often the worker blocks expired teams (and lifts blocks that no longer hold); 0 disables. */
  GATEHOUSE_ENFORCE_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  /** Days after a team becomes expired (core isTeamExpired) before its proxies block it. */
  GATEHOUSE_EXPIRED_BLOCK_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
  /**
   * Days of spend history (team_spend_daily) kept; older points are pruned by the worker's
   * expiry sweep round, in batches. Nothing else deletes spend history.
   */
  GATEHOUSE_SPEND_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(800),
  /**
   * The address people reach Gatehouse at (links in mails, the SSO redirect URI
   * `<GATEHOUSE_PUBLIC_URL>/auth/sso/callback`); unset: the listening address.
   */
  GATEHOUSE_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /** SMTP server mail is sent through (`smtp://user:pass@host:587`, `smtps://...`); unset: the local outbox. */
  GATEHOUSE_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: "expected an smtp:// or smtps:// URL" })
    .optional(),
  /** The From of every mail Gatehouse sends. */
  GATEHOUSE_MAIL_FROM: z.string().min(3).default("Gatehouse <gatehouse@localhost>"),
  GATEHOUSE_DEMO_IDP_PORT: port(4011),
  /** Port of the demo's Standard Webhooks receiver on loopback (npm start). */
  GATEHOUSE_DEMO_WEBHOOK_PORT: port(4012),
  /**
   * Webhook URLs may be plain http on a loopback address (tests, the demo's receiver);
   * otherwise only https, and never to loopback.
   */
  GATEHOUSE_WEBHOOKS_ALLOW_HTTP: onOff(false),
  /** A region whose spend sync has failed for this long raises `region.sync_failing`. */
  GATEHOUSE_ALERT_SYNC_FAILING_AFTER_MS: positiveInt().default(1_800_000),
  /** Failed jobs, or a runnable job waiting this long, raise `jobs.failing`. */
  GATEHOUSE_ALERT_QUEUE_AGE_MS: positiveInt().default(900_000),
});

export interface AppConfig {
  port: number;
  host: string;
  allowedOrigins: string[];
  session: SessionPolicy;
  /** Longest use of a cached session lookup, ms (0: no cache). */
  sessionCacheMs: number;
  /** Failed-attempt limits per window (see routers/auth/login.handler.ts). */
  login: {
    maxPerAccount: number;
    maxPerAccountAnyAddress: number;
    maxPerAddress: number;
    windowMs: number;
  };
  /** Password reset request limits (routers/auth/request-password-reset.handler.ts). */
  passwordReset: { maxPerEmail: number; maxPerAddress: number; windowMs: number };
  expiryGraceDays: number;
  logLevel: z.infer<typeof EnvSchema>["GATEHOUSE_LOG_LEVEL"];
  webDist: string | undefined;
  /** Proxies trusted to append to X-Forwarded-For (0: the socket address is the client's). */
  trustProxyHops: number;
  /** `url` unset: the embedded PGlite in `dataDir` (unset: packages/db's default folder). */
  database: {
    url: string | undefined;
    dataDir: string | undefined;
    poolMax: number;
    pglitePort: number;
  };
  /** The in-process worker of `npm start` / `start` (null: GATEHOUSE_WORKER=off). */
  worker: WorkerSettings | null;
  /** The standalone worker's settings (it runs whatever GATEHOUSE_WORKER says). */
  workerSettings: WorkerSettings;
  /** 32-byte operator key for sealed key secrets, or null (secrets are then not kept). */
  secretsKey: Buffer | null;
  /** Keys of a rotation under way: values sealed under them still open (never used to seal). */
  previousSecretsKeys: Buffer[];
  reconcileIntervalMs: number;
  spendSyncIntervalMs: number;
  metrics: { token: string | undefined; address: { host: string; port: number } | undefined };
  /** Entitlement of a team with no active product. */
  defaultEntitlement: TProductLimits;
  /** The expiry sweep (0: off) and its extra grace after expiry. */
  enforceIntervalMs: number;
  expiredBlockGraceDays: number;
  /** Days of daily spend points kept (the worker prunes older ones). */
  spendRetentionDays: number;
  /** Where people reach Gatehouse; unset: the listening address (see publicUrlOf). */
  publicUrl: string | undefined;
  /** Outgoing mail: through `smtpUrl`, or (null) into the local outbox. */
  mail: { smtpUrl: string | null; from: string };
  /** Where webhook URLs may point (see GATEHOUSE_WEBHOOKS_ALLOW_HTTP). */
  webhooks: { allowHttp: boolean };
  /** Thresholds of the operations events (checked in the worker's expiry sweep round). */
  alerts: { syncFailingAfterMs: number; queueAgeMs: number };
  demo: {
    enabled: boolean;
    litellmPort: number;
    litellmMasterKey: string;
    idpPort: number;
    webhookPort: number;
  };
}

/** What the job worker takes from the environment (unset: WORKER_DEFAULTS). */
export interface WorkerSettings {
  concurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
  requestTimeoutMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (`FOO=`) means unset, as it did before validation.
  const parsed = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const e = parsed.data;
  const workerSettings: WorkerSettings = {
    concurrency: e.GATEHOUSE_WORKER_CONCURRENCY,
    leaseMs: e.GATEHOUSE_WORKER_LEASE_MS,
    pollIntervalMs: e.GATEHOUSE_WORKER_POLL_MS,
    requestTimeoutMs: e.GATEHOUSE_WORKER_REQUEST_TIMEOUT_MS,
  };
  return {
    port: e.PORT,
    host: e.HOST,
    allowedOrigins: (e.GATEHOUSE_ALLOWED_ORIGINS ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    session: {
      ...defaultSessionPolicy,
      userIdleMs: e.GATEHOUSE_SESSION_USER_IDLE_MINUTES * 60_000,
      adminIdleMs: e.GATEHOUSE_SESSION_ADMIN_IDLE_MINUTES * 60_000,
      absoluteMs: e.GATEHOUSE_SESSION_ABSOLUTE_MINUTES * 60_000,
    },
    sessionCacheMs: e.GATEHOUSE_SESSION_CACHE_MS,
    login: {
      maxPerAccount: e.GATEHOUSE_LOGIN_MAX_PER_ACCOUNT,
      maxPerAccountAnyAddress:
        e.GATEHOUSE_LOGIN_MAX_PER_ACCOUNT_ANY_ADDRESS ?? 10 * e.GATEHOUSE_LOGIN_MAX_PER_ACCOUNT,
      maxPerAddress: e.GATEHOUSE_LOGIN_MAX_PER_ADDRESS,
      windowMs: e.GATEHOUSE_LOGIN_WINDOW_MINUTES * 60_000,
    },
    passwordReset: {
      maxPerEmail: e.GATEHOUSE_PASSWORD_RESET_MAX_PER_EMAIL,
      maxPerAddress: e.GATEHOUSE_PASSWORD_RESET_MAX_PER_ADDRESS,
      windowMs: e.GATEHOUSE_LOGIN_WINDOW_MINUTES * 60_000,
    },
    expiryGraceDays: e.GATEHOUSE_EXPIRY_GRACE_DAYS,
    logLevel: e.GATEHOUSE_LOG_LEVEL,
    webDist: e.GATEHOUSE_WEB_DIST,
    trustProxyHops: e.GATEHOUSE_TRUST_PROXY,
    database: {
      url: e.DATABASE_URL,
      dataDir: e.GATEHOUSE_DATA_DIR,
      poolMax: e.GATEHOUSE_DB_POOL_MAX,
      pglitePort: e.GATEHOUSE_PGLITE_PORT,
    },
    worker: e.GATEHOUSE_WORKER ? workerSettings : null,
    workerSettings,
    demo: {
      enabled: e.GATEHOUSE_DEMO,
      litellmPort: e.GATEHOUSE_DEMO_LITELLM_PORT,
      litellmMasterKey: e.GATEHOUSE_DEMO_LITELLM_MASTER_KEY,
      idpPort: e.GATEHOUSE_DEMO_IDP_PORT,
      webhookPort: e.GATEHOUSE_DEMO_WEBHOOK_PORT,
    },
    publicUrl: e.GATEHOUSE_PUBLIC_URL,
    mail: { smtpUrl: e.GATEHOUSE_SMTP_URL ?? null, from: e.GATEHOUSE_MAIL_FROM },
    webhooks: { allowHttp: e.GATEHOUSE_WEBHOOKS_ALLOW_HTTP },
    alerts: {
      syncFailingAfterMs: e.GATEHOUSE_ALERT_SYNC_FAILING_AFTER_MS,
      queueAgeMs: e.GATEHOUSE_ALERT_QUEUE_AGE_MS,
    },
    secretsKey: secretsKeyOf(e.GATEHOUSE_SECRETS_KEY),
    previousSecretsKeys: (e.GATEHOUSE_SECRETS_KEY_PREVIOUS ?? "")
      .split(",")
      .filter((raw) => raw.trim() !== "")
      .map((raw) => secretsKeyOf(raw, "GATEHOUSE_SECRETS_KEY_PREVIOUS")!),
    reconcileIntervalMs: e.GATEHOUSE_RECONCILE_INTERVAL_MS,
    spendSyncIntervalMs: e.GATEHOUSE_SPEND_SYNC_INTERVAL_MS,
    metrics: { token: e.GATEHOUSE_METRICS_TOKEN, address: hostPort(e.GATEHOUSE_METRICS_ADDRESS) },
    defaultEntitlement: e.GATEHOUSE_DEFAULT_ENTITLEMENT,
    enforceIntervalMs: e.GATEHOUSE_ENFORCE_INTERVAL_MS,
    expiredBlockGraceDays: e.GATEHOUSE_EXPIRED_BLOCK_GRACE_DAYS,
    spendRetentionDays: e.GATEHOUSE_SPEND_RETENTION_DAYS,
  };
}

/**
 * The origin people reach Gatehouse at: GATEHOUSE_PUBLIC_URL, else the listening address
 * (a wildcard host is reached as localhost). `port` is the bound one when it was 0.
 */
export function publicUrlOf(
  config: Pick<AppConfig, "publicUrl" | "host" | "port">,
  port = config.port,
): string {
  if (config.publicUrl) return config.publicUrl;
  const host = ["0.0.0.0", "::", ""].includes(config.host) ? "localhost" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function hostPort(address: string | undefined): { host: string; port: number } | undefined {
  if (!address) return undefined;
  const colon = address.lastIndexOf(":");
  return {
    host: address.slice(0, colon).replace(/^\[|\]$/g, ""),
    port: Number(address.slice(colon + 1)),
  };
}

function secretsKeyOf(raw: string | undefined, name?: string): Buffer | null {
  if (raw === undefined || raw.trim() === "") return null;
  try {
    return parseSecretsKey(raw, name);
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${(error as Error).message}`);
  }
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
