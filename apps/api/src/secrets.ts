/**
 * Secrets kept sealed at rest: key secrets, so a key its proxy lost can be re-created with
 * the same secret (LiteLLM's /key/generate needs the `sk-` secret; its id is only a hash),
 * and the regions' LiteLLM master keys, so reading the database does not hand out control
 * of every proxy.
 *
 * AES-256-GCM under one operator key (GATEHOUSE_SECRETS_KEY: 32 bytes as 64 hex digits or
 * base64). What the value belongs to is bound as additional data (a key's id, the sha256 of
 * its secret; a region's id), so a sealed value copied onto another row does not open.
 * Without an operator key key secrets are not kept (such keys are reported "not
 * restorable"), and a process on a PostgreSQL server refuses to start while master keys are
 * in clear (start-up.ts). The embedded (demo) mode generates a key and keeps it beside the
 * database (`.data/secrets.key`, mode 0600).
 *
 * Rotation: values sealed under the keys in GATEHOUSE_SECRETS_KEY_PREVIOUS still open, and
 * `gatehouse reseal-secrets` seals everything again under the current key (README).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const VERSION = "v1";

/** Parses GATEHOUSE_SECRETS_KEY; throws with a one-line reason when it is not 32 bytes. */
export function parseSecretsKey(raw: string, name = "GATEHOUSE_SECRETS_KEY"): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, "hex")
    : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, as 64 hex digits or base64`);
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

/** Whether a stored value is in the sealed format (a master key in clear is `sk-...`). */
export function isSealed(value: string): boolean {
  return /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

/**
 * Opens a value sealed under any of `keys` (the current key first, then those of a rotation
 * under way); throws when none opens it.
 */
export function openSecretWithAny(
  keys: readonly Buffer[],
  sealed: string,
  keyToken: string,
): string {
  for (const key of keys) {
    try {
      return openSecret(key, sealed, keyToken);
    } catch {
      // Sealed under another key: try the next one.
    }
  }
  throw new Error(
    keys.length === 0
      ? "a sealed secret needs GATEHOUSE_SECRETS_KEY, which is unset"
      : "a sealed secret opens under neither GATEHOUSE_SECRETS_KEY nor GATEHOUSE_SECRETS_KEY_PREVIOUS",
  );
}

/** The additional data binding a webhook's sealed signing secret to its endpoint. */
export const webhookSecretBinding = (webhookId: string): string => `webhook:${webhookId}`;

/** The additional data binding a sealed master key to its region. */
export const masterKeyBinding = (regionId: string): string => `region:${regionId}`;

/** A region's master key as stored: sealed when there is an operator key, else in clear. */
export function storedMasterKey(key: Buffer | null, regionId: string, masterKey: string): string {
  return key ? sealSecret(key, masterKey, masterKeyBinding(regionId)) : masterKey;
}

/** A region's master key from its stored value (sealed, or in clear before sealing). */
export function openMasterKey(keys: readonly Buffer[], regionId: string, stored: string): string {
  return isSealed(stored) ? openSecretWithAny(keys, stored, masterKeyBinding(regionId)) : stored;
}

/** The keys that open sealed values, the current one first. */
export function openingKeys(config: {
  secretsKey: Buffer | null;
  previousSecretsKeys: readonly Buffer[];
}): Buffer[] {
  return [...(config.secretsKey ? [config.secretsKey] : []), ...config.previousSecretsKeys];
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

/** The additional data binding a sealed OIDC client secret to its identity provider. */
export const idpSecretBinding = (providerId: string): string => `idp:${providerId}`;
