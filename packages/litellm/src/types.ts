/**
 * The client's public vocabulary, in Gatehouse's camelCase. The snake_case wire format is
 * confined to client.ts so callers never build LiteLLM bodies by hand.
 */

export type TeamMemberRole = "admin" | "user";

export interface TeamMemberInput {
  userId: string;
  role: TeamMemberRole;
}

export interface CreateTeamInput {
  /** The LiteLLM team identity, from core's `litellmTeamId(region, team)`. */
  teamId: string;
  teamAlias: string;
  /**
   * Budget and limits to create the team with (`/team/new` takes them, so a re-created team
   * enforces them from its first moment); omitted: none.
   */
  limits?: Omit<TeamLimitsInput, "teamId">;
  /** Create it blocked (its keys refused from the start). */
  blocked?: boolean;
}

export interface AddTeamMembersInput {
  teamId: string;
  members: readonly TeamMemberInput[];
}

export interface GenerateKeyInput {
  /**
   * The secret to use (`sk-...`), chosen by the caller so its id is known before the call:
   * a retried or interrupted creation can then be checked with keyInfo instead of leaking
   * an unknown key. Omit to let LiteLLM choose.
   */
  key?: string;
  /** Must be unique across the whole proxy: LiteLLM rejects a second key with the same alias. */
  keyAlias: string;
  teamId: string;
  userId: string;
  metadata?: Readonly<Record<string, unknown>>;
  /** Routes the key may call (`allowed_routes`, e.g. `["llm_api_routes"]`); omitted: all. */
  allowedRoutes?: readonly string[];
  /** Create the key blocked (a restore of a key Gatehouse holds blocked). */
  blocked?: boolean;
  /** The key's own budget and limits (omitted: none; the team's still apply). */
  limits?: KeyLimitsInput;
  /**
   * When the key stops working (omitted: never). LiteLLM takes only a `duration`, so this
   * is sent as whole seconds from now (`"<n>s"`), rounded up: the proxy's `expires` lands
   * at most the request's transit time after this instant. Must be in the future.
   */
  expiresAt?: Date;
}

/**
 * A key's own budget and limits, as `/key/generate` and `/key/update` take them. LiteLLM
 * checks none of them against the key's team when a key is created or updated in its team
 * (a key budget above the team's, or models the team lacks, are accepted and simply never
 * usable beyond the team's): callers must check entitlements themselves.
 */
export interface KeyLimitsInput {
  /** USD (`max_budget`); null clears it on update. Negative: LiteLLM answers 400. */
  maxBudgetUsd?: number | null;
  /**
   * Budget period (`budget_duration`: `30s`, `30m`, `1h`, `1d`, `7d`, `30d`, `1mo`...).
   * Sending one (even unchanged) restarts the period from now: the proxy sets
   * `budget_reset_at` to the next boundary and the reset job zeroes spend then. LiteLLM
   * cannot clear a key's period through `/key/update` (null is ignored), so there is no null.
   */
  budgetDuration?: string;
  /** Tokens per minute (`tpm_limit`); null clears it on update. */
  tpmLimit?: number | null;
  /** Requests per minute (`rpm_limit`); null clears it on update. */
  rpmLimit?: number | null;
  /** Models the key may call (`models`); [] = whatever its team may call. */
  models?: readonly string[];
}

export interface UpdateKeyLimitsInput {
  /** The key's token id or secret. */
  key: string;
  limits?: KeyLimitsInput;
  /**
   * New expiry: a Date (sent as a `duration` of whole seconds from now, rounded up; must be
   * in the future) or null (never expires: `duration: null`). Omitted: unchanged. LiteLLM's
   * UpdateKeyRequest has no `expires` field: a sent `expires` is silently ignored.
   */
  expiresAt?: Date | null;
}

/** What `/key/update` reported changing (LiteLLM echoes only the fields sent). */
export interface UpdatedKeyLimits {
  token: string;
  /** The proxy's new `expires` (ISO) when the expiry was sent; null = never. */
  expiresAt?: string | null;
  /** The proxy's next budget reset (ISO) when a budget period was sent. */
  budgetResetAt?: string | null;
}

export interface SetTeamMemberBudgetInput {
  teamId: string;
  userId: string;
  /**
   * USD the member may spend inside the team (`max_budget_in_team`); null, with both rate
   * limits null or omitted, removes the member's budget. LiteLLM replaces the member's
   * whole budget on every call, so send every limit the member should keep.
   */
  maxBudgetInTeam: number | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
}

export interface TeamMemberBudget {
  teamId: string;
  userId: string;
  maxBudgetInTeam: number | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  /** USD the proxy counted for the member in this team (null when it sent none). */
  spend: number | null;
}

export interface UpdateKeyInput {
  /** The key's token id (the hash LiteLLM returns as `token`), or its secret. */
  key: string;
  teamId?: string;
  keyAlias?: string;
  /** The key's owner (LiteLLM `user_id`). */
  userId?: string;
  allowedRoutes?: readonly string[];
}

export interface UpdateTeamInput {
  teamId: string;
  teamAlias: string;
}

/** A team's budget and limits as `/team/update` takes them (null clears a limit; [] = all models). */
export interface TeamLimitsInput {
  teamId: string;
  maxBudget: number | null;
  /**
   * Omitted (undefined): not sent, so the proxy's budget period runs on. LiteLLM restarts
   * the period (`budget_reset_at`) whenever a duration is sent, even an unchanged one.
   */
  budgetDuration?: string | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  models: readonly string[];
}

export interface DeleteKeysInput {
  /** Token ids (or secrets) of the keys to delete. */
  keys: readonly string[];
}

export interface LiteLLMTeamMember {
  userId: string | null;
  userEmail: string | null;
  role: string;
}

export interface LiteLLMTeam {
  teamId: string;
  teamAlias: string | null;
  members: LiteLLMTeamMember[];
}

export interface GeneratedKey {
  /** The secret (`sk-...`). LiteLLM shows it once: hand it to the user, never store it. */
  key: string;
  /** The key's id (sha256 of the secret): what Gatehouse stores and later sends as `key`. */
  token: string;
  keyAlias: string | null;
  teamId: string | null;
  userId: string | null;
  /** When the proxy will refuse the key (ISO; null = never), as it computed from `duration`. */
  expiresAt: string | null;
  /** When the proxy next zeroes the key's spend (ISO), null without a budget period. */
  budgetResetAt: string | null;
}

export interface UpdatedKey {
  token: string;
  /** Present when the proxy reported it (LiteLLM echoes only the fields that changed). */
  teamId?: string | null;
  keyAlias?: string | null;
}

export interface DeletedKeys {
  deletedKeys: string[];
}

export interface KeyInfo {
  token: string;
  keyAlias: string | null;
  /** LiteLLM's display form of the secret, e.g. `sk-...AbCd`. */
  keyName: string | null;
  teamId: string | null;
  userId: string | null;
  metadata: Record<string, unknown>;
  /** Blocked on the proxy (LiteLLM: null until first blocked or unblocked). */
  blocked: boolean;
  /** `allowed_routes` ([] = every route). */
  allowedRoutes: string[];
  /** USD counted on the key in the current budget period (null when the proxy sent none). */
  spend: number | null;
  maxBudgetUsd: number | null;
  budgetDuration: string | null;
  /** When the proxy next zeroes the key's spend (ISO), null without a period. */
  budgetResetAt: string | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  /** [] = whatever the team may call. */
  models: string[];
  /** When the key stops working (ISO), null = never. */
  expiresAt: string | null;
}

export type EnsureTeamResult = "created" | "already_exists";
export type EnsureTeamMembersResult = "added" | "already_members";
export type DeleteKeysIdempotentResult = "deleted" | "already_gone";

/** Paging and order of `/v2/team/list` (offset paging; page_size 1..100). */
export interface ListTeamsInput {
  page?: number;
  pageSize?: number;
  /** Exact team id filter. */
  teamId?: string;
  sortBy?: "team_id" | "team_alias" | "created_at";
  sortOrder?: "asc" | "desc";
}

export interface ListedTeam {
  teamId: string;
  teamAlias: string | null;
  /** USD the proxy counted (null when the proxy sent none: unknown, not 0). */
  spend: number | null;
  /** The team's budget on this proxy (null: none). */
  maxBudget: number | null;
  budgetDuration: string | null;
  /** When the proxy next resets the budget (ISO), null when it has no period. */
  budgetResetAt: string | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  /** [] = every model. */
  models: string[];
  blocked: boolean;
  membersCount: number | null;
  metadata: Record<string, unknown>;
}

export interface TeamPage {
  teams: ListedTeam[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

/** Paging and order of `/key/list` with full objects (offset paging; size 1..100). */
export interface ListKeysInput {
  page?: number;
  size?: number;
  teamId?: string;
  sortBy?: "spend" | "max_budget" | "created_at" | "updated_at" | "token" | "key_alias";
  sortOrder?: "asc" | "desc";
}

export interface ListedKey {
  /** The key's id (sha256 of the secret). */
  token: string;
  keyAlias: string | null;
  keyName: string | null;
  teamId: string | null;
  userId: string | null;
  /** USD the proxy counted on this key (null when the proxy sent none). */
  spend: number | null;
  metadata: Record<string, unknown>;
  blocked: boolean;
  allowedRoutes: string[];
}

export interface KeyPage {
  keys: ListedKey[];
  totalCount: number;
  page: number;
  totalPages: number;
}
export type UpdateTeamIdempotentResult = "updated" | "team_absent";
export type DeleteTeamIdempotentResult = "deleted" | "already_gone";

/**
 * Whether a secret works on the proxy right now, as a client using it would find out
 * (`GET /v1/models` with the secret): `unknown` (no such key: never issued, deleted or
 * rotated away), `blocked` (the key or its team), `expired`, `over_budget` (the key's,
 * its team's or its owner's budget in the team is spent).
 */
export type KeyCheck =
  { usable: true } | { usable: false; reason: "unknown" | "blocked" | "expired" | "over_budget" };

/** `/team/daily/activity` for some teams over a range of UTC days (inclusive). */
export interface TeamDailySpendInput {
  /** LiteLLM team ids; at least one. */
  teamIds: readonly string[];
  /** `YYYY-MM-DD`. */
  startDate: string;
  /** `YYYY-MM-DD`. */
  endDate: string;
}

/** What one team spent on one UTC day (USD), summed over its keys and models. */
export interface TeamDaySpend {
  teamId: string;
  /** `YYYY-MM-DD`. */
  date: string;
  spendUsd: number;
}
