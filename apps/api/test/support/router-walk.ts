/**
 * What a response must never carry (secrets), and the procedures of a router by path, for
 * the suites that walk every procedure.
 */

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
