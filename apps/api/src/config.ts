/**
 * Runtime configuration from the environment, validated once at start-up so a bad value
 * is a one-line error instead of a surprise later.
 */
import { defaultSessionPolicy, type SessionPolicy } from "@gatehouse/core";
import { z } from "zod";
import { parseSecretsKey } from "./secrets.ts";

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
  /** Operator key sealing key secrets at rest (see secrets.ts); unset: secrets not kept. */
  GATEHOUSE_SECRETS_KEY: z.string().optional(),
  /** How often the worker reconciles each active region with its proxy; 0 disables. */
  GATEHOUSE_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
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
  /** 32-byte operator key for sealed key secrets, or null (secrets are then not kept). */
  secretsKey: Buffer | null;
  reconcileIntervalMs: number;
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
    secretsKey: secretsKeyOf(e.GATEHOUSE_SECRETS_KEY),
    reconcileIntervalMs: e.GATEHOUSE_RECONCILE_INTERVAL_MS,
  };
}

function secretsKeyOf(raw: string | undefined): Buffer | null {
  if (raw === undefined || raw.trim() === "") return null;
  try {
    return parseSecretsKey(raw);
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${(error as Error).message}`);
  }
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
