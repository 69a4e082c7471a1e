/**
 * Key secrets kept sealed at rest, so a key its proxy lost can be re-created with the same
 * secret (LiteLLM's /key/generate needs the `sk-` secret; its id is only a hash).
 *
 * AES-256-GCM under one operator key (GATEHOUSE_SECRETS_KEY: 32 bytes as 64 hex digits or
 * base64). The key id (sha256 of the secret) is bound as additional data, so a sealed value
 * copied onto another key's row does not open. Without an operator key nothing is sealed and
 * such keys are reported "not restorable". The embedded (demo) mode generates one and keeps
 * it beside the database (`.data/secrets.key`, mode 0600).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const VERSION = "v1";

/** Parses GATEHOUSE_SECRETS_KEY; throws with a one-line reason when it is not 32 bytes. */
export function parseSecretsKey(raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, "hex")
    : Buffer.from(text, "base64");
  if (key.length !== 32)
    throw new Error("GATEHOUSE_SECRETS_KEY must be 32 bytes, as 64 hex digits or base64");
  return key;
}

export function sealSecret(key: Buffer, secret: string, keyToken: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(keyToken, "utf8"));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  const b64 = (b: Buffer): string => b.toString("base64url");
  return `${VERSION}.${b64(iv)}.${b64(cipher.getAuthTag())}.${b64(sealed)}`;
}

/** The secret, or throws when the value was sealed under another key or for another token. */
export function openSecret(key: Buffer, sealed: string, keyToken: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error("unknown sealed secret format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(keyToken, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(data, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/** The embedded mode's operator key: read from `file`, or created there (0600) on first use. */
export function loadOrCreateSecretsKey(file: string): Buffer {
  if (fs.existsSync(file)) return parseSecretsKey(fs.readFileSync(file, "utf8"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = crypto.randomBytes(32);
  try {
    fs.writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return parseSecretsKey(fs.readFileSync(file, "utf8"));
    throw error;
  }
  return key;
}
