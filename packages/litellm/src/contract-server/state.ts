/**
 * In-memory model of the LiteLLM tables Gatehouse touches: teams with their members, and
 * virtual keys stored the way LiteLLM stores them (by the sha256 of the secret; the secret
 * itself is never kept). Every lookup the routes make is a map access, because the server
 * is benchmarked with tens of thousands of calls.
 */
import { createHash } from "node:crypto";
import { budgetResetAt } from "./budget.ts";

export type ContractMemberRole = "admin" | "user";

export interface ContractTeamMember {
  userId: string | null;
  userEmail: string | null;
  role: ContractMemberRole;
}

export interface ContractTeam {
  teamId: string;
  teamAlias: string | null;
  metadata: Record<string, unknown>;
  /** Keyed by user id, or `email:<address>` for members added by email only. */
  members: Map<string, ContractTeamMember>;
  /**
   * Budget and limits as /team/new and /team/update store them (null or absent = unset;
   * optional so code seeding the state by hand need not list them).
   */
  maxBudget?: number | null;
  budgetDuration?: string | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
  /** Empty or absent = every model. */
  models?: string[];
  blocked?: boolean;
  /**
   * What the proxy has counted (USD; LiteLLM_TeamTable.spend) and when the budget next
   * resets (budget_reset_at, ISO). Absent = 0 / null, as on a fresh proxy. Set by tests and
   * benchmarks through setTeamSpend or POST /__control/spend: the contract server routes no
   * model traffic, so nothing else would ever count spend.
   */
  spend?: number;
  budgetResetAt?: string | null;
  /** Per-member budgets (`/team/member_update`), keyed by user id; absent = none. */
  memberships?: Map<string, ContractTeamMembership>;
  createdAt: string;
}

export interface ContractKey {
  /** sha256 hex of the secret: LiteLLM's key id. */
  token: string;
  /** LiteLLM's display form of the secret, `sk-...XXXX`. */
  keyName: string;
  keyAlias: string | null;
  teamId: string | null;
  userId: string | null;
  metadata: Record<string, unknown>;
  /** /key/block sets it (LiteLLM: Optional[bool], null until first blocked/unblocked). */
  blocked?: boolean | null;
  /** USD counted on this key (LiteLLM_VerificationToken.spend); absent = 0. */
  spend?: number;
  /** Routes the key may call (`allowed_routes`; absent or empty = every route). */
  allowedRoutes?: string[];
  /**
   * The key's own budget and limits (LiteLLM_VerificationToken columns; absent = unset, so
   * code seeding the state by hand need not list them): `max_budget`, `budget_duration`,
   * `budget_reset_at` (ISO), `tpm_limit`, `rpm_limit`, `models` (empty = the team's).
   */
  maxBudget?: number | null;
  budgetDuration?: string | null;
  budgetResetAt?: string | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
  models?: string[];
  /** When the key stops working (`expires`, ISO; absent or null = never). */
  expires?: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A member's budget inside a team (LiteLLM_TeamMembership and its LiteLLM_BudgetTable row),
 * as `/team/member_update` writes it. Spend is what the proxy counted for the member in
 * the team; set by tests (no model traffic flows through the double).
 */
export interface ContractTeamMembership {
  userId: string;
  budgetId: string;
  maxBudgetInTeam: number | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  spend: number;
}

/**
 * One row of LiteLLM_DailyTeamSpend: what a team spent on one UTC day through one key and
 * model (the proxy's spend writer upserts one such row per team, day, key, model and
 * provider). Planted by tests and the demo: no model traffic flows through the double.
 */
export interface ContractDailyTeamSpend {
  teamId: string;
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  /** The key's token (sha256), as LiteLLM stores it. */
  apiKey: string;
  model: string;
  customLlmProvider: string;
  spend: number;
  promptTokens: number;
  completionTokens: number;
  apiRequests: number;
  successfulRequests: number;
  failedRequests: number;
}

/** What one run of the budget reset job changed. */
export interface BudgetResetRun {
  /** Token ids of the keys whose spend was reset. */
  keys: string[];
  teams: string[];
}

export interface RequestLogEntry {
  /** 1-based, increasing; survives log trimming so `since` queries stay valid. */
  seq: number;
  at: string;
  method: string;
  path: string;
  /** Raw query string without `?` ("" when none). */
  query: string;
  /** Parsed JSON body, the raw text when it was not JSON, undefined when empty. */
  body: unknown;
  /** HTTP status answered, or null when the connection was destroyed (server down). */
  status: number | null;
  /** Set when the answer came from fault injection rather than the LiteLLM model. */
  fault: "down" | "fail-next" | null;
}

export interface ContractStateSnapshot {
  teams: {
    teamId: string;
    teamAlias: string | null;
    members: ContractTeamMember[];
    /** Member budgets in the team (`/team/member_update`). */
    memberships: ContractTeamMembership[];
  }[];
  keys: Omit<ContractKey, "createdAt" | "updatedAt">[];
  requestCount: number;
}

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** LiteLLM accepts a key by secret or by id: it hashes values that start with `sk-`. */
export function tokenOf(secretOrToken: string): string {
  return secretOrToken.startsWith("sk-") ? hashToken(secretOrToken) : secretOrToken;
}

export function memberKey(member: { userId: string | null; userEmail: string | null }): string {
  return member.userId ?? `email:${member.userEmail ?? ""}`;
}

/**
 * A Map that counts changes to its key set (not to the values), so /v2/team/list can cache
 * its default order: re-sorting a million teams per page would make a full listing quadratic.
 */
export class VersionedMap<K, V> extends Map<K, V> {
  #version = 0;
  get version(): number {
    return this.#version;
  }
  override set(key: K, value: V): this {
    if (!this.has(key)) this.#version += 1;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    const deleted = super.delete(key);
    if (deleted) this.#version += 1;
    return deleted;
  }
  override clear(): void {
    this.#version += 1;
    super.clear();
  }
}

export interface TeamSpendInput {
  spend: number;
  /** Also sets the team's max_budget when given (null clears it). */
  maxBudget?: number | null | undefined;
  budgetResetAt?: string | null | undefined;
}

/** How the imitated proxy is configured, beyond its profile (tests flip these). */
export interface ContractProxySettings {
  /**
   * No models configured (LiteLLM's `llm_router` is None): moving a key to another team
   * fails with 400 "LLM router not found".
   */
  noModels: boolean;
  /** Model names the proxy serves (`/v1/models` for a key with no models of its own). */
  models: string[];
}

/**
 * Leading digits and an optional unit, as LiteLLM's `_extract_from_regex`
 * (duration_parser.py) reads durations with `re.match(r"(\d+)(mo|[smhdw]?)")`: anchored
 * at the start only, so "30days" is 30 d and "30" has no unit.
 */
const DURATION_PREFIX = /^(\d+)(mo|[smhdw]?)/;

/**
 * `duration_in_seconds`: the length of a key `duration`, or the ValueError message LiteLLM
 * raises ("Invalid duration format", "Unsupported duration unit, passed duration: X").
 * `mo` counts calendar months from `now`, as LiteLLM does.
 */
export function durationEnd(duration: string, now: Date): { at: Date } | { error: string } {
  const match = DURATION_PREFIX.exec(duration);
  if (!match) return { error: "Invalid duration format" };
  const value = Number(match[1]);
  const unit = match[2];
  const seconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
  if (unit === "mo") {
    const at = new Date(now);
    at.setUTCMonth(at.getUTCMonth() + value);
    return { at };
  }
  const factor = unit ? seconds[unit] : undefined;
  if (factor === undefined)
    return { error: `Unsupported duration unit, passed duration: ${duration}` };
  return { at: new Date(now.getTime() + value * factor * 1000) };
}

export class ContractState {
  readonly teams = new VersionedMap<string, ContractTeam>();
  readonly settings: ContractProxySettings = { noModels: false, models: [] };
  readonly keys = new Map<string, ContractKey>();
  /**
   * LiteLLM_DailyTeamSpend in insertion order (the position stands in for the row's id,
   * LiteLLM's tie-breaker after `date desc`); see addDailyTeamSpend.
   */
  readonly dailyTeamSpend: ContractDailyTeamSpend[] = [];
  /** key alias -> token; LiteLLM enforces unique aliases across all keys. */
  readonly #aliases = new Map<string, string>();
  #log: RequestLogEntry[] = [];
  #seq = 0;
  /** Bumped on every key write, so listings can cache their sorted order (list-routes.ts). */
  #keysVersion = 0;
  readonly #maxLogEntries: number;
  /**
   * Calls to `/key/regenerate` and `/key/{key}/regenerate`, refused or not: Gatehouse
   * rotates keys without it, and tests assert it stays 0.
   */
  regenerateCalls = 0;
  /**
   * The proxy's clock for key expiry and budget resets (tests move it instead of waiting);
   * created/updated timestamps stay on the wall clock.
   */
  clock: () => Date = () => new Date();

  constructor(options: { maxLogEntries?: number } = {}) {
    this.#maxLogEntries = options.maxLogEntries ?? 100_000;
  }

  /** The request log, oldest first (capped at `maxLogEntries`; the oldest are dropped). */
  get requests(): readonly RequestLogEntry[] {
    return this.#log;
  }

  requestsSince(seq: number): RequestLogEntry[] {
    // seq is dense, so the first wanted entry's index follows from the oldest kept seq.
    const first = this.#log[0]?.seq ?? this.#seq + 1;
    return this.#log.slice(Math.max(0, seq + 1 - first));
  }

  record(entry: Omit<RequestLogEntry, "seq" | "at">): void {
    this.#seq += 1;
    this.#log.push({ seq: this.#seq, at: new Date().toISOString(), ...entry });
    // Trim in batches so a long benchmark does not pay an O(n) shift per request.
    if (this.#log.length > this.#maxLogEntries * 1.1) {
      this.#log = this.#log.slice(this.#log.length - this.#maxLogEntries);
    }
  }

  getTeam(teamId: string): ContractTeam | undefined {
    return this.teams.get(teamId);
  }

  isMember(teamId: string, userId: string): boolean {
    return this.teams.get(teamId)?.members.has(userId) ?? false;
  }

  /** By secret or token id. */
  getKey(secretOrToken: string): ContractKey | undefined {
    return this.keys.get(tokenOf(secretOrToken));
  }

  get keysVersion(): number {
    return this.#keysVersion;
  }

  aliasOwner(alias: string): string | undefined {
    return this.#aliases.get(alias);
  }

  putKey(key: ContractKey): void {
    const previous = this.keys.get(key.token);
    if (previous?.keyAlias != null && this.#aliases.get(previous.keyAlias) === key.token) {
      this.#aliases.delete(previous.keyAlias);
    }
    this.keys.set(key.token, key);
    if (key.keyAlias != null) this.#aliases.set(key.keyAlias, key.token);
    this.#keysVersion += 1;
  }

  deleteKey(token: string): boolean {
    const key = this.keys.get(token);
    if (!key) return false;
    if (key.keyAlias != null && this.#aliases.get(key.keyAlias) === token) {
      this.#aliases.delete(key.keyAlias);
    }
    this.#keysVersion += 1;
    return this.keys.delete(token);
  }

  /** LiteLLM's /team/delete: the team's keys go first, then the team. */
  deleteTeam(teamId: string): boolean {
    if (!this.teams.has(teamId)) return false;
    for (const key of [...this.keys.values()]) {
      if (key.teamId === teamId) this.deleteKey(key.token);
    }
    return this.teams.delete(teamId);
  }

  /** Sets what the proxy reports as the team's spend; false when the team does not exist. */
  setTeamSpend(teamId: string, input: TeamSpendInput): boolean {
    const team = this.teams.get(teamId);
    if (!team) return false;
    team.spend = input.spend;
    if (input.maxBudget !== undefined) team.maxBudget = input.maxBudget;
    if (input.budgetResetAt !== undefined) team.budgetResetAt = input.budgetResetAt;
    return true;
  }

  /**
   * Adds daily spend rows (LiteLLM_DailyTeamSpend). Rows are not tied to the team table, as
   * in LiteLLM, and do not change the team's counted `spend`: callers set both so that they
   * agree.
   */
  addDailyTeamSpend(rows: readonly ContractDailyTeamSpend[]): void {
    this.dailyTeamSpend.push(...rows);
  }

  /** Sets a key's spend, by secret or token id; false when the key does not exist. */
  setKeySpend(secretOrToken: string, spend: number): boolean {
    const key = this.getKey(secretOrToken);
    if (!key) return false;
    key.spend = spend;
    // Listings sorted by spend are cached per key version.
    this.#keysVersion += 1;
    return true;
  }

  /** Sets what the proxy counted for a member inside a team; false when it has no budget row. */
  setMemberSpend(teamId: string, userId: string, spend: number): boolean {
    const membership = this.teams.get(teamId)?.memberships?.get(userId);
    if (!membership) return false;
    membership.spend = spend;
    return true;
  }

  /** A key past its `expires` at the proxy's clock (LiteLLM refuses it at auth). */
  isExpired(key: ContractKey, at: Date = this.clock()): boolean {
    return key.expires != null && Date.parse(key.expires) < at.getTime();
  }

  /**
   * One run of LiteLLM's budget reset job (`ResetBudgetJob.reset_budget`,
   * proxy/common_utils/reset_budget_job.py) at `at`: every key whose `budget_reset_at` is
   * before `at` and that has not expired (`expires` null or after `at`, as
   * `PrismaClient.get_data(expires=now, reset_at=now)` selects them), and every team whose
   * `budget_reset_at` is before `at`, gets spend 0 and its next reset from
   * `get_budget_reset_time(budget_duration)` computed at `at` (`_reset_budget_common`).
   * A reset date is never computed from the old one: a proxy that was down for a week
   * resets once, to the next boundary after it came back.
   */
  runBudgetReset(at: Date = this.clock()): BudgetResetRun {
    const run: BudgetResetRun = { keys: [], teams: [] };
    for (const key of this.keys.values()) {
      if (key.budgetResetAt == null || Date.parse(key.budgetResetAt) >= at.getTime()) continue;
      if (key.expires != null && Date.parse(key.expires) <= at.getTime()) continue;
      key.spend = 0;
      if (key.budgetDuration != null) key.budgetResetAt = budgetResetAt(key.budgetDuration, at);
      run.keys.push(key.token);
    }
    if (run.keys.length > 0) this.#keysVersion += 1;
    for (const team of this.teams.values()) {
      if (team.budgetResetAt == null || Date.parse(team.budgetResetAt) >= at.getTime()) continue;
      team.spend = 0;
      if (team.budgetDuration != null) team.budgetResetAt = budgetResetAt(team.budgetDuration, at);
      run.teams.push(team.teamId);
    }
    return run;
  }

  snapshot(): ContractStateSnapshot {
    return {
      teams: [...this.teams.values()].map((t) => ({
        teamId: t.teamId,
        teamAlias: t.teamAlias,
        members: [...t.members.values()],
        memberships: [...(t.memberships?.values() ?? [])],
      })),
      keys: [...this.keys.values()].map((k) => ({
        token: k.token,
        keyName: k.keyName,
        keyAlias: k.keyAlias,
        teamId: k.teamId,
        userId: k.userId,
        metadata: k.metadata,
        maxBudget: k.maxBudget ?? null,
        budgetDuration: k.budgetDuration ?? null,
        budgetResetAt: k.budgetResetAt ?? null,
        tpmLimit: k.tpmLimit ?? null,
        rpmLimit: k.rpmLimit ?? null,
        models: k.models ?? [],
        expires: k.expires ?? null,
        spend: k.spend ?? 0,
      })),
      requestCount: this.#seq,
    };
  }

  /** Forgets teams, keys and the request log. */
  reset(): void {
    this.teams.clear();
    this.keys.clear();
    this.dailyTeamSpend.length = 0;
    this.#aliases.clear();
    this.#keysVersion += 1;
    this.#log = [];
    this.#seq = 0;
    this.regenerateCalls = 0;
    this.clock = () => new Date();
  }
}
