/**
 * Structured logs (pino). Anything that can carry a secret is redacted by path, so a
 * careless `log.info({ req })` cannot leak a cookie, token, password or master key.
 */
import { pino, type Logger } from "pino";

export type { Logger };

export const redactPaths = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "token",
  "*.token",
  "tokenHash",
  "*.tokenHash",
  "litellmMasterKey",
  "*.litellmMasterKey",
  "masterKey",
  "*.masterKey",
  // Single sign-on: OIDC client secrets (sealed or not), logout tokens, PKCE verifiers.
  "clientSecret",
  "*.clientSecret",
  "clientSecretSealed",
  "*.clientSecretSealed",
  "logout_token",
  "*.logout_token",
  "codeVerifier",
  "*.codeVerifier",
  "headers.cookie",
  "headers.authorization",
  "*.headers.cookie",
  "*.headers.authorization",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactPaths, censor: "[redacted]" }, base: { service: "gatehouse" } },
    destination,
  );
}
