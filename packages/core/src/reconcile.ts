/**
 * Reconciliation rules: what Gatehouse expects a region's proxy to hold, how a proxy key is
 * recognised as Gatehouse's, how one key compares, and the report (counts by kind plus a
 * bounded number of examples, so a report stays small whatever the region's size).
 * The streaming itself (pages from the proxy and the database) lives in the API.
 */
import { litellmTeamLimits, type TProductLimits } from "./entitlements.ts";
import { litellmKeyAlias, litellmTeamId } from "./litellm-identity.ts";

/**
 * `limits_drift`: a team's budget, period, rate limits or models on the proxy are not its
 * entitlement's, or a key may call more routes than Gatehouse grants keys.
 * `block_drift`: a team or key is blocked on the proxy while Gatehouse holds no reason, or
 * the other way round (e.g. unblocked by hand in LiteLLM's own UI).
 */
export const RECONCILE_KINDS = [
  "team_missing",
  "key_missing",
  "key_wrong_team",
  "alias_drift",
  "orphan_key",
  "limits_drift",
  "block_drift",
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

/** A team's limits as a proxy holds them (LiteLLM's `/v2/team/list` row, in our names). */
export interface ProxyTeamLimits {
  maxBudget: number | null;
  budgetDuration: string | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  /** [] = every model. */
  models: readonly string[];
}

export const TEAM_LIMIT_FIELDS = [
  "max_budget",
  "budget_duration",
  "tpm_limit",
  "rpm_limit",
  "models",
] as const;
export type TeamLimitField = (typeof TEAM_LIMIT_FIELDS)[number];

/**
 * The LiteLLM fields of a team whose value on the proxy is not what the entitlement pushes
 * (litellmTeamLimits), in a fixed order; [] when in step. Models compare as sets.
 */
export function teamLimitsDrift(
  entitlement: TProductLimits,
  actual: ProxyTeamLimits,
): TeamLimitField[] {
  const expected = litellmTeamLimits(entitlement);
  const sameModels = (a: readonly string[], b: readonly string[]): boolean => {
    const set = new Set(a);
    return set.size === new Set(b).size && b.every((m) => set.has(m));
  };
  const differs: Record<TeamLimitField, boolean> = {
    max_budget: expected.max_budget !== actual.maxBudget,
    budget_duration: expected.budget_duration !== actual.budgetDuration,
    tpm_limit: expected.tpm_limit !== actual.tpmLimit,
    rpm_limit: expected.rpm_limit !== actual.rpmLimit,
    models: !sameModels(expected.models, actual.models),
  };
  return TEAM_LIMIT_FIELDS.filter((f) => differs[f]);
}

/** `field=value, ...` of the listed fields, for a report's expected/actual columns. */
export function describeTeamLimits(
  limits: ProxyTeamLimits,
  fields: readonly TeamLimitField[],
): string {
  const value: Record<TeamLimitField, string | number | null> = {
    max_budget: limits.maxBudget,
    budget_duration: limits.budgetDuration,
    tpm_limit: limits.tpmLimit,
    rpm_limit: limits.rpmLimit,
    models: limits.models.length === 0 ? "all" : [...limits.models].sort().join("|"),
  };
  return fields.map((f) => `${f}=${String(value[f] ?? "none")}`).join(", ");
}

/** The entitlement in the proxy's shape (what a repair pushes). */
export function proxyTeamLimitsOf(entitlement: TProductLimits): ProxyTeamLimits {
  const l = litellmTeamLimits(entitlement);
  return {
    maxBudget: l.max_budget,
    budgetDuration: l.budget_duration,
    tpmLimit: l.tpm_limit,
    rpmLimit: l.rpm_limit,
    models: l.models,
  };
}

/**
 * Routes every key Gatehouse mints may call: LiteLLM's `llm_api_routes` (model calls), so a
 * team key cannot read its siblings through `/team/info` or other info routes.
 * Open-source LiteLLM honours `allowed_routes` (auth/route_checks.py
 * `RouteChecks.is_virtual_key_allowed_to_call_route`, for every role).
 */
export const GATEHOUSE_KEY_ROUTES: readonly string[] = ["llm_api_routes"];

/** Whether a key on the proxy may call other routes than GATEHOUSE_KEY_ROUTES. */
export function keyRoutesDrift(actual: readonly string[]): boolean {
  return (
    actual.length !== GATEHOUSE_KEY_ROUTES.length ||
    !GATEHOUSE_KEY_ROUTES.every((r) => actual.includes(r))
  );
}

/** A team's or key's block on the proxy against Gatehouse's reasons (any reason: blocked). */
export function blockDrift(
  reasons: readonly string[],
  blockedOnProxy: boolean,
): { expected: "blocked" | "unblocked"; actual: "blocked" | "unblocked" } | null {
  const expected = reasons.length > 0;
  if (expected === blockedOnProxy) return null;
  const word = (b: boolean) => (b ? ("blocked" as const) : ("unblocked" as const));
  return { expected: word(expected), actual: word(blockedOnProxy) };
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
