/**
 * Opaque bearer secrets (session cookies, service tokens). Only their SHA-256 is stored:
 * the secrets are 256 random bits, so a fast hash is enough and lookups stay indexable.
 */
import crypto from "node:crypto";

export function newOpaqueToken(prefix: string): string {
  return `${prefix}${crypto.randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export const SESSION_TOKEN_PREFIX = "ghs_";
export const SERVICE_TOKEN_PREFIX = "ghst_";
export const INVITATION_TOKEN_PREFIX = "ghi_";
export const PASSWORD_RESET_TOKEN_PREFIX = "ghr_";
