/**
 * HTTP client for one region's LiteLLM proxy: the only code in Gatehouse that speaks
 * LiteLLM's wire format. Every failure surfaces as a `LiteLLMError` (see errors.ts), and
 * the `ensure*` / `*Idempotent` helpers turn LiteLLM's "already exists" / "already a
 * member" / "not found" answers into success, so the merge worker can repeat any step
 * after a crash or a timeout without double effects.
 *
 * The requests themselves are in endpoints/ (teams, keys, lists), built on one
 * `ProxyCall` (proxy-call.ts) that holds the key, the timeout and the observer.
 */
import { LiteLLMError } from "./errors.ts";
import * as activity from "./endpoints/activity.ts";
import * as keys from "./endpoints/keys.ts";
import * as lists from "./endpoints/lists.ts";
import * as teams from "./endpoints/teams.ts";
import { ProxyCall, type LiteLLMCallObserver } from "./proxy-call.ts";
import type {
  AddTeamMembersInput,
  CreateTeamInput,
  DeleteKeysIdempotentResult,
  DeleteKeysInput,
  DeletedKeys,
  EnsureTeamMembersResult,
  EnsureTeamResult,
  GenerateKeyInput,
  GeneratedKey,
  KeyInfo,
  KeyPage,
  ListKeysInput,
  ListTeamsInput,
  LiteLLMTeam,
  TeamPage,
  TeamMemberInput,
  DeleteTeamIdempotentResult,
  UpdateKeyInput,
  UpdateTeamIdempotentResult,
  UpdateTeamInput,
  TeamLimitsInput,
  UpdatedKey,
  UpdateKeyLimitsInput,
  UpdatedKeyLimits,
  SetTeamMemberBudgetInput,
  TeamMemberBudget,
  KeyCheck,
  TeamDailySpendInput,
  TeamDaySpend,
} from "./types.ts";

export { litellmKeyToken } from "./endpoints/keys.ts";
export { MAX_LIST_PAGE_SIZE } from "./endpoints/lists.ts";
export type { LiteLLMCallEvent, LiteLLMCallObserver } from "./proxy-call.ts";

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface LiteLLMClientOptions {
  /** The proxy's base URL, e.g. `http://litellm.eu-west.internal:4000`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <masterKey>`; never appears in errors or logs. */
  masterKey: string;
  /** Per request, including reading the body. Default 10 s. */
  timeoutMs?: number;
  /**
   * Send requests through this fetch instead of the default node:http(s) keep-alive
   * transport (which is several times cheaper in CPU; see transport.ts).
   */
  fetch?: typeof fetch;
  /**
   * Told about every call once it has ended (success or failure): for metrics or tracing
   * without this package depending on a metrics library. Must not throw.
   */
  observer?: LiteLLMCallObserver;
}

/** One entry per user; if a user is listed twice the stronger role wins. */
function dedupeMembers(members: readonly TeamMemberInput[]): TeamMemberInput[] {
  const byUser = new Map<string, TeamMemberInput>();
  for (const member of members) {
    const seen = byUser.get(member.userId);
    if (!seen || (seen.role === "user" && member.role === "admin"))
      byUser.set(member.userId, member);
  }
  return [...byUser.values()];
}

export class LiteLLMClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  // An ES private field so the key (inside it) stays out of console.log / JSON.stringify.
  readonly #proxy: ProxyCall;

  constructor(options: LiteLLMClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError("LiteLLMClient: baseUrl must be an absolute http(s) URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError("LiteLLMClient: baseUrl must be an absolute http(s) URL");
    }
    if (!options.masterKey) throw new TypeError("LiteLLMClient: masterKey is required");
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError("LiteLLMClient: timeoutMs must be a positive number");
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = timeoutMs;
    this.#proxy = new ProxyCall({
      baseUrl: this.baseUrl,
      masterKey: options.masterKey,
      timeoutMs,
      fetch: options.fetch,
      observer: options.observer,
    });
  }

  /** Closes pooled keep-alive connections (e.g. on shutdown); the client stays usable. */
  close(): void {
    this.#proxy.close();
  }

  // ---- LiteLLM endpoints (see endpoints/ for what each sends and how it fails) ----------

  /** POST /team/new; `team_exists` when the id is taken. */
  createTeam(input: CreateTeamInput): Promise<LiteLLMTeam> {
    return teams.createTeam(this.#proxy, input);
  }

  /** POST /team/member_add; the team with its members after the call. */
  addTeamMembers(input: AddTeamMembersInput): Promise<LiteLLMTeam> {
    return teams.addTeamMembers(this.#proxy, input);
  }

  /** POST /team/member_delete; `member_not_found` / `team_not_found`. */
  removeTeamMember(input: { teamId: string; userId: string }): Promise<void> {
    return teams.removeTeamMember(this.#proxy, input);
  }

  /** POST /team/update of the alias; `team_not_found` when missing. */
  updateTeam(input: UpdateTeamInput): Promise<void> {
    return teams.updateTeam(this.#proxy, input);
  }

  /** POST /team/update of the budget and limits, every field sent. */
  updateTeamLimits(input: TeamLimitsInput): Promise<void> {
    return teams.updateTeamLimits(this.#proxy, input);
  }

  /** POST /team/block or /team/unblock. */
  setTeamBlocked(teamId: string, blocked: boolean): Promise<void> {
    return teams.setTeamBlocked(this.#proxy, teamId, blocked);
  }

  /** POST /key/block or /key/unblock by token id or secret. */
  setKeyBlocked(key: string, blocked: boolean): Promise<void> {
    return keys.setKeyBlocked(this.#proxy, key, blocked);
  }

  /** POST /team/delete, the teams' keys with them; refused whole when one is missing. */
  deleteTeams(teamIds: readonly string[]): Promise<void> {
    return teams.deleteTeams(this.#proxy, teamIds);
  }

  /** POST /key/generate; the secret is shown once, store only `token`. */
  generateKey(input: GenerateKeyInput): Promise<GeneratedKey> {
    return keys.generateKey(this.#proxy, input);
  }

  /** POST /key/update: move, rename, new owner or routes. */
  updateKey(input: UpdateKeyInput): Promise<UpdatedKey> {
    return keys.updateKey(this.#proxy, input);
  }

  /** POST /key/delete; `key_not_found` when none of the keys exist. */
  deleteKeys(input: DeleteKeysInput): Promise<DeletedKeys> {
    return keys.deleteKeys(this.#proxy, input);
  }

  /**
   * POST /key/update of the key's own budget, rate limits, models and expiry (only what is
   * given is sent). LiteLLM does not check them against the team: check entitlements first.
   */
  updateKeyLimits(input: UpdateKeyLimitsInput): Promise<UpdatedKeyLimits> {
    return keys.updateKeyLimits(this.#proxy, input);
  }

  /** POST /team/member_update: a member's budget inside the team (open source). */
  setTeamMemberBudget(input: SetTeamMemberBudgetInput): Promise<TeamMemberBudget> {
    return teams.setTeamMemberBudget(this.#proxy, input);
  }

  /** GET /team/info: every member budget of the team, with what each member spent. */
  teamMemberBudgets(teamId: string): Promise<TeamMemberBudget[]> {
    return teams.teamMemberBudgets(this.#proxy, teamId);
  }

  /**
   * GET /v1/models as the key itself: does this secret work on the proxy now? (`unknown`,
   * `blocked`, `expired` otherwise.) The secret is redacted from any error.
   */
  checkKey(secret: string): Promise<KeyCheck> {
    return keys.checkKey(this.#proxy, secret);
  }

  /** GET /key/info by token id or secret. */
  keyInfo(key: string): Promise<KeyInfo> {
    return keys.keyInfo(this.#proxy, key);
  }

  /** keyInfo, or null when the proxy does not hold the key. */
  async keyInfoIfPresent(key: string): Promise<KeyInfo | null> {
    try {
      return await this.keyInfo(key);
    } catch (error) {
      if (error instanceof LiteLLMError && error.reason === "key_not_found") return null;
      throw error;
    }
  }

  /** GET /v2/team/list: one page of teams. */
  listTeams(input: ListTeamsInput = {}): Promise<TeamPage> {
    return lists.listTeams(this.#proxy, input);
  }

  /** GET /key/list with full objects: one page of keys. */
  listKeys(input: ListKeysInput = {}): Promise<KeyPage> {
    return lists.listKeys(this.#proxy, input);
  }

  /**
   * Every page of `/v2/team/list`, one request at a time, so a caller streams the proxy's
   * teams with one page in memory. The listing is offset-paged: entries added or removed
   * meanwhile can shift a page, so a consumer must tolerate a repeat or a skip.
   */
  async *teamPages(
    input: Omit<ListTeamsInput, "page"> = {},
  ): AsyncGenerator<TeamPage, void, undefined> {
    for (let page = 1; ; page++) {
      const result = await this.listTeams({ ...input, page });
      if (result.teams.length > 0) yield result;
      if (result.teams.length === 0 || page >= result.totalPages) return;
    }
  }

  /**
   * What some teams spent per UTC day (`/team/daily/activity`, LiteLLM_DailyTeamSpend),
   * summed over keys and models; days without spend are absent. Reads every page.
   */
  teamDailySpend(input: TeamDailySpendInput): Promise<TeamDaySpend[]> {
    return activity.teamDailySpend(this.#proxy, input);
  }

  /** Every page of `/key/list` (full objects); same streaming and caveats as teamPages. */
  async *keyPages(
    input: Omit<ListKeysInput, "page"> = {},
  ): AsyncGenerator<KeyPage, void, undefined> {
    for (let page = 1; ; page++) {
      const result = await this.listKeys({ ...input, page });
      if (result.keys.length > 0) yield result;
      if (result.keys.length === 0 || page >= result.totalPages) return;
    }
  }

  // ---- Idempotent helpers for the merge worker ----------------------------------------

  /** Creates the team unless it exists. Does not change the alias of an existing team. */
  async ensureTeam(input: CreateTeamInput): Promise<EnsureTeamResult> {
    try {
      await this.createTeam(input);
      return "created";
    } catch (error) {
      if (error instanceof LiteLLMError && error.reason === "team_exists") return "already_exists";
      throw error;
    }
  }

  /**
   * Makes every listed user a member. LiteLLM versions differ on a request mixing new and
   * existing members: current ones add the new ones and fail only when *all* are present
   * ("All users are already in team"); older ones reject the whole request on the first
   * duplicate. On a duplicate answer that does not say "all", members are added one by one.
   * An existing member keeps their role (LiteLLM has no "add or update").
   */
  async ensureTeamMembers(input: AddTeamMembersInput): Promise<EnsureTeamMembersResult> {
    const members = dedupeMembers(input.members);
    if (members.length === 0) return "already_members";
    try {
      await this.addTeamMembers({ teamId: input.teamId, members });
      return "added";
    } catch (error) {
      if (!(error instanceof LiteLLMError && error.reason === "member_exists")) throw error;
      if (
        members.length === 1 ||
        /All users are already in team/i.test(error.litellmMessage ?? "")
      ) {
        return "already_members";
      }
    }
    let added = false;
    for (const member of members) {
      try {
        await this.addTeamMembers({ teamId: input.teamId, members: [member] });
        added = true;
      } catch (error) {
        if (!(error instanceof LiteLLMError && error.reason === "member_exists")) throw error;
      }
    }
    return added ? "added" : "already_members";
  }

  /**
   * Deletes the keys; keys that are already gone count as deleted. Current LiteLLM deletes
   * the ones it finds and fails only when it finds none; for a version that refuses a
   * partial delete ("Not all keys passed in were deleted") it falls back to one by one.
   */
  async deleteKeysIdempotent(input: DeleteKeysInput): Promise<DeleteKeysIdempotentResult> {
    const keys = [...new Set(input.keys)];
    if (keys.length === 0) return "already_gone";
    try {
      await this.deleteKeys({ keys });
      return "deleted";
    } catch (error) {
      if (!(error instanceof LiteLLMError)) throw error;
      if (error.reason === "key_not_found") return "already_gone";
      const partial = /Not all keys passed in were deleted/i.test(error.litellmMessage ?? "");
      if (!(partial && keys.length > 1)) throw error;
    }
    let deleted = false;
    for (const key of keys) {
      try {
        await this.deleteKeys({ keys: [key] });
        deleted = true;
      } catch (error) {
        if (!(error instanceof LiteLLMError && error.reason === "key_not_found")) throw error;
      }
    }
    return deleted ? "deleted" : "already_gone";
  }

  /** Takes a user off a team; a user not in it, or a team the proxy lacks, is done already. */
  async removeTeamMemberIdempotent(input: {
    teamId: string;
    userId: string;
  }): Promise<"removed" | "not_member" | "team_absent"> {
    try {
      await this.removeTeamMember(input);
      return "removed";
    } catch (error) {
      if (error instanceof LiteLLMError && error.reason === "member_not_found") return "not_member";
      if (error instanceof LiteLLMError && error.reason === "team_not_found") return "team_absent";
      throw error;
    }
  }

  /** Sets the alias of a team if the proxy has it; a team it never had needs no update. */
  async updateTeamIdempotent(input: UpdateTeamInput): Promise<UpdateTeamIdempotentResult> {
    try {
      await this.updateTeam(input);
      return "updated";
    } catch (error) {
      if (error instanceof LiteLLMError && error.reason === "team_not_found") return "team_absent";
      throw error;
    }
  }

  /** Deletes one team (and, on LiteLLM, its keys); a team already gone counts as deleted. */
  async deleteTeamIdempotent(teamId: string): Promise<DeleteTeamIdempotentResult> {
    try {
      await this.deleteTeams([teamId]);
      return "deleted";
    } catch (error) {
      if (error instanceof LiteLLMError && error.reason === "team_not_found") return "already_gone";
      throw error;
    }
  }
}
