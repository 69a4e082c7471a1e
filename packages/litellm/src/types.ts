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
