/**
 * A team's and a key's identities on a region's LiteLLM proxy. This is the only place that
 * formats them; everything else calls these functions.
 */

/** A team's identity on a proxy: `<region name, spaces as _>_<team id>`. */
export function litellmTeamId(regionName: string, teamId: string): string {
  return `${regionName.replace(/ /g, "_")}_${teamId}`;
}

/**
 * The strictest alias rule any LiteLLM has shipped (v1.82.0, `_KEY_ALIAS_PATTERN`); later
 * versions made it opt-in, and current main still refuses any alias containing `..`.
 */
export const LITELLM_STRICT_KEY_ALIAS = /^[a-zA-Z0-9][a-zA-Z0-9_\-/.]{0,253}[a-zA-Z0-9]$/;

/** Whether every LiteLLM version accepts this alias. */
export function isPortableKeyAlias(alias: string): boolean {
  return LITELLM_STRICT_KEY_ALIAS.test(alias) && !alias.includes("..");
}

const ALIAS_MAX = 255;
const HASH_CHARS = 12;

/**
 * 64-bit FNV-1a over the UTF-8 bytes, as hex. Pure (core also runs in the browser, so no
 * node:crypto); only needs to tell apart names that read the same once sanitized.
 */
function fnv1a64(text: string): string {
  // The 64-bit state as two unsigned 32-bit halves: BigInt arithmetic per byte made this
  // the dearest line of a 10,000-key merge plan. Multiplying by the prime 2^40 + 0x1b3 is
  // (state * 0x1b3) + (state << 40); the shift only reaches the high half (lo << 8).
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const byte of utf8.encode(text)) {
    lo ^= byte;
    const low = (lo >>> 0) * 0x1b3;
    hi = (hi * 0x1b3 + Math.floor(low / 0x100000000) + ((lo << 8) >>> 0)) >>> 0;
    lo = low >>> 0;
  }
  return (hi >>> 0).toString(16).padStart(8, "0") + (lo >>> 0).toString(16).padStart(8, "0");
}

const utf8 = new TextEncoder();

/** Characters outside the portable set become `_`; runs of dots become one dot. */
function sanitize(text: string): string {
  return text.replace(/[^a-zA-Z0-9_\-/.]/g, "_").replace(/\.{2,}/g, ".");
}

/**
 * A key's alias on LiteLLM: `<litellm team>/<name, sanitized>-<12 hex of a hash of the exact
 * team and name>`, e.g. `EU_West_<team id>/v2.beta_release-3f0c1d2e4a5b`.
 * - unique per proxy: aliases are unique across a whole proxy while key names are unique
 *   only within a team, so the alias carries the team's LiteLLM id (which changes, with the
 *   alias, when a merge moves the key); the hash of the exact team and name keeps apart
 *   names that sanitize alike (`a b` and `a_b`) and survives any cut below;
 * - accepted by every LiteLLM: only `a-zA-Z0-9_-/.`, never `..`, alphanumeric at both ends
 *   (the hash ends it), at most 255 characters (real ones are under 180: region names are
 *   at most 60 characters and key names 64);
 * - deterministic: the same team and name always give the same alias, so a retried job or
 *   a reconciliation computes exactly what was sent.
 */
export function litellmKeyAlias(litellmTeam: string, keyName: string): string {
  const suffix = `-${fnv1a64(`${litellmTeam}\u0000${keyName}`).slice(0, HASH_CHARS)}`;
  let team = sanitize(litellmTeam);
  if (!/^[a-zA-Z0-9]/.test(team)) team = `k${team}`;
  team = team.slice(0, 120);
  const name = sanitize(keyName).slice(0, ALIAS_MAX - team.length - 1 - suffix.length);
  // Joining can put two dots together (a team ending in `.`, cut or not): collapse again.
  return `${team}/${name}${suffix}`.replace(/\.{2,}/g, ".");
}

/**
 * The Gatehouse team behind a LiteLLM team id of any region (the id's team-id suffix), or
 * null when it does not end in one: for jobs, whose payload names the LiteLLM team only.
 */
export function gatehouseTeamIdInAnyRegion(liteLLMTeamId: string): string | null {
  const match = /_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(
    liteLLMTeamId,
  );
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * The Gatehouse team behind a LiteLLM team id on this region, or null when the id is not one
 * `litellmTeamId` makes for this region (another region's team, or one created by hand on
 * the proxy). The inverse of litellmTeamId, built on it so the two cannot disagree.
 */
export function gatehouseTeamIdOf(regionName: string, liteLLMTeamId: string): string | null {
  const prefix = litellmTeamId(regionName, "");
  if (!liteLLMTeamId.startsWith(prefix)) return null;
  const id = liteLLMTeamId.slice(prefix.length);
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? id.toLowerCase()
    : null;
}

/**
 * litellmTeamId as a SQL expression, for set-based SQL that queues jobs for many teams at
 * once (one INSERT ... SELECT rather than a round trip per team): `regionName` and `teamId`
 * are SQL expressions of the region's name and the team's id. Kept beside litellmTeamId so
 * the two forms change together; packages/db's test runs it against the database and
 * compares it with litellmTeamId.
 */
export function litellmTeamIdSql(regionName: string, teamId: string): string {
  return `replace(${regionName}, ' ', '_') || '_' || ${teamId}::text`;
}
