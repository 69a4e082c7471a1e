/**
 * Reconciliation rules: what Gatehouse expects a region's proxy to hold, how a proxy key is
 * recognised as Gatehouse's, how one key compares, and the report (counts by kind plus a
 * bounded number of examples, so a report stays small whatever the region's size).
 * The streaming itself (pages from the proxy and the database) lives in the API.
 */
import { litellmKeyAlias, litellmTeamId } from "./litellm-identity.ts";

export const RECONCILE_KINDS = [
  "team_missing",
  "key_missing",
  "key_wrong_team",
  "alias_drift",
  "orphan_key",
] as const;
export type ReconcileKind = (typeof RECONCILE_KINDS)[number];

/** Metadata Gatehouse sets on every key it creates on a proxy (keys.create). */
export function gatehouseKeyMetadata(
  keyId: string,
  teamId: string,
): { gatehouse_key_id: string; gatehouse_team_id: string } {
  return { gatehouse_key_id: keyId, gatehouse_team_id: teamId };
}

/**
 * The Gatehouse key id a proxy key's metadata names, or null when the key is not
 * Gatehouse's (another tenant of the proxy, or made by hand): such keys are never touched.
 * Accepts the flat form Gatehouse writes and a nested `{gatehouse: {keyId}}` form.
 */
export function gatehouseKeyIdOf(
  metadata: Readonly<Record<string, unknown>> | null | undefined,
): string | null {
  if (!metadata) return null;
  const flat = metadata.gatehouse_key_id;
  if (typeof flat === "string" && flat !== "") return flat;
  const nested = metadata.gatehouse;
  if (typeof nested === "object" && nested !== null) {
    const keyId = (nested as Record<string, unknown>).keyId;
    if (typeof keyId === "string" && keyId !== "") return keyId;
  }
  return null;
}

/** Where a Gatehouse key must be on its region's proxy: the team identity and the alias. */
export function expectedKeyPlacement(
  regionName: string,
  teamId: string,
  keyName: string,
): { litellmTeamId: string; keyAlias: string } {
  const team = litellmTeamId(regionName, teamId);
  return { litellmTeamId: team, keyAlias: litellmKeyAlias(team, keyName) };
}

/**
 * How a key present on both sides differs. A key in the wrong team is reported as that
 * alone: moving it back also sets its alias, so an alias difference there is not separate.
 */
export function compareKey(
  expected: { litellmTeamId: string; keyAlias: string },
  actual: { teamId: string | null; keyAlias: string | null },
): "key_wrong_team" | "alias_drift" | null {
  if (actual.teamId !== expected.litellmTeamId) return "key_wrong_team";
  if (actual.keyAlias !== expected.keyAlias) return "alias_drift";
  return null;
}

export interface ReconcileExample {
  kind: ReconcileKind;
  /** Gatehouse ids, when the difference concerns a Gatehouse object. */
  teamId: string | null;
  keyId: string | null;
  keyName: string | null;
  /** First characters of the LiteLLM key id (the full hash is not shown). */
  keyTokenPrefix: string | null;
  /** What Gatehouse expects and what the proxy holds (team id or alias), when it applies. */
  expected: string | null;
  actual: string | null;
  /** For key_missing: whether the key's secret is kept, so repair can re-create it. */
  restorable: boolean | null;
}

export interface ReconcileReport {
  counts: Record<ReconcileKind, number>;
  examples: Record<ReconcileKind, ReconcileExample[]>;
  /** Keys missing on the proxy whose secret is not kept (repair cannot re-create them). */
  notRestorable: number;
  /** What was read from each side. */
  scanned: { proxyTeams: number; proxyKeys: number; gatehouseTeams: number; gatehouseKeys: number };
  /** Differences left out because a queued job is about to change that key or team. */
  inFlight: number;
}

export const TOKEN_PREFIX_LENGTH = 12;

export function emptyReport(): ReconcileReport {
  const byKind = <T>(make: () => T): Record<ReconcileKind, T> =>
    Object.fromEntries(RECONCILE_KINDS.map((k) => [k, make()])) as Record<ReconcileKind, T>;
  return {
    counts: byKind(() => 0),
    examples: byKind((): ReconcileExample[] => []),
    notRestorable: 0,
    scanned: { proxyTeams: 0, proxyKeys: 0, gatehouseTeams: 0, gatehouseKeys: 0 },
    inFlight: 0,
  };
}

/** Counts the difference and keeps it as an example while its kind has fewer than `limit`. */
export function recordDifference(
  report: ReconcileReport,
  example: ReconcileExample,
  limit: number,
): void {
  report.counts[example.kind] += 1;
  if (example.kind === "key_missing" && example.restorable === false) report.notRestorable += 1;
  const examples = report.examples[example.kind];
  if (examples.length < limit) examples.push(example);
}

export function differenceCount(report: Pick<ReconcileReport, "counts">): number {
  return RECONCILE_KINDS.reduce((sum, kind) => sum + report.counts[kind], 0);
}
