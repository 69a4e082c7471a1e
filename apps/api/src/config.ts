/**
 * Runtime configuration from the environment, validated once at start-up so a bad value
 * is a one-line error instead of a surprise later.
 */
import { defaultSessionPolicy, type SessionPolicy } from "@gatehouse/core";
import { z } from "zod";

const minutes = (fallback: number) => z.coerce.number().positive().default(fallback);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Origins allowed to send cookie-authenticated mutations, comma separated. */
  GATEHOUSE_ALLOWED_ORIGINS: z.string().optional(),
  GATEHOUSE_SESSION_USER_IDLE_MINUTES: minutes(defaultSessionPolicy.userIdleMs / 60_000),
  GATEHOUSE_SESSION_ADMIN_IDLE_MINUTES: minutes(defaultSessionPolicy.adminIdleMs / 60_000),
  GATEHOUSE_SESSION_ABSOLUTE_MINUTES: minutes(defaultSessionPolicy.absoluteMs / 60_000),
  GATEHOUSE_LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  GATEHOUSE_LOGIN_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(50),
  GATEHOUSE_LOGIN_WINDOW_MINUTES: minutes(15),
  GATEHOUSE_EXPIRY_GRACE_DAYS: z.coerce.number().int().positive().default(30),
  GATEHOUSE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Directory of the built web app to serve from the API origin, if any. */
  GATEHOUSE_WEB_DIST: z.string().optional(),
  /** Trust X-Forwarded-For for the client address (behind a load balancer). */
  GATEHOUSE_TRUST_PROXY: z.stringbool().default(false),
  /** Bearer token that unlocks GET /metrics on the API's own port (unset: no /metrics there). */
  GATEHOUSE_METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  /** `host:port` of a separate listener that serves only /metrics, without a token. */
  GATEHOUSE_METRICS_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, "expected host:port")
    .optional(),
});

export interface AppConfig {
  port: number;
  host: string;
  allowedOrigins: string[];
  session: SessionPolicy;
  login: { maxPerAccount: number; maxPerAddress: number; windowMs: number };
  expiryGraceDays: number;
  logLevel: z.infer<typeof EnvSchema>["GATEHOUSE_LOG_LEVEL"];
  webDist: string | undefined;
  trustProxy: boolean;
  metrics: { token: string | undefined; address: { host: string; port: number } | undefined };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const e = parsed.data;
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
    login: {
      maxPerAccount: e.GATEHOUSE_LOGIN_MAX_PER_ACCOUNT,
      maxPerAddress: e.GATEHOUSE_LOGIN_MAX_PER_ADDRESS,
      windowMs: e.GATEHOUSE_LOGIN_WINDOW_MINUTES * 60_000,
    },
    expiryGraceDays: e.GATEHOUSE_EXPIRY_GRACE_DAYS,
    logLevel: e.GATEHOUSE_LOG_LEVEL,
    webDist: e.GATEHOUSE_WEB_DIST,
    trustProxy: e.GATEHOUSE_TRUST_PROXY,
    metrics: { token: e.GATEHOUSE_METRICS_TOKEN, address: hostPort(e.GATEHOUSE_METRICS_ADDRESS) },
  };
}

function hostPort(address: string | undefined): { host: string; port: number } | undefined {
  if (!address) return undefined;
  const colon = address.lastIndexOf(":");
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(address.slice(colon + 1)) };
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
