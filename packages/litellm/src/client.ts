/**
 * HTTP client for one region's LiteLLM proxy: the only code in Gatehouse that speaks
 * LiteLLM's wire format. Every failure surfaces as a `LiteLLMError` (see errors.ts), and
 * the `ensure*` / `*Idempotent` helpers turn LiteLLM's "already exists" / "already a
 * member" / "not found" answers into success, so the merge worker can repeat any step
 * after a crash or a timeout without double effects.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { fetchTransport, nodeHttpTransport, type Transport } from "./transport.ts";
import {
  LiteLLMError,
  classifyHttpFailure,
  classifyNetworkFailure,
  networkErrorCode,
  parseErrorBody,
  redact,
  type LiteLLMOperation,
} from "./errors.ts";
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
} from "./types.ts";

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

/** One finished call to the proxy, as given to `LiteLLMClientOptions.observer`. */
export interface LiteLLMCallEvent {
  operation: LiteLLMOperation;
  /** `METHOD /path`, without the query (which may hold a key). */
  route: string;
  /** HTTP status, when the proxy answered. */
  status: number | undefined;
  durationMs: number;
  /** The failure's kind and reason (see errors.ts), or null on success. */
  error: { kind: string; reason: string } | null;
}

export type LiteLLMCallObserver = (event: LiteLLMCallEvent) => void;

/**
 * LiteLLM identifies a key by the sha256 hex of its secret and accepts either form wherever
 * a key is named (it hashes values starting with `sk-`). Gatehouse stores only this id.
 */
export function litellmKeyToken(secretOrToken: string): string {
  return secretOrToken.startsWith("sk-")
    ? createHash("sha256").update(secretOrToken).digest("hex")
    : secretOrToken;
}

// Response schemas: loose on purpose. LiteLLM adds fields between versions, so only what
// Gatehouse reads is checked, and a missing essential field is a protocol error.
const zNullableString = z.string().nullish();
const zMember = z.looseObject({
  user_id: zNullableString,
  user_email: zNullableString,
  role: z.string(),
});
const zTeam = z.looseObject({
  team_id: z.string(),
  team_alias: zNullableString,
  members_with_roles: z.array(zMember).nullish(),
});
const zGeneratedKey = z.looseObject({
  key: z.string().min(1),
  token: zNullableString,
  token_id: zNullableString,
  key_alias: zNullableString,
  team_id: zNullableString,
  user_id: zNullableString,
});
const zUpdatedKey = z.looseObject({
  key: zNullableString,
  team_id: zNullableString,
  key_alias: zNullableString,
});
const zDeletedKeys = z.looseObject({ deleted_keys: z.array(z.string()) });
const zUpdatedTeam = z.looseObject({ team_id: z.string() });
// LiteLLM returns whatever its delete helper returned: only the status matters.
const zAnyObject = z.unknown();
const zKeyInfo = z.looseObject({
  info: z.looseObject({
    key_alias: zNullableString,
    key_name: zNullableString,
    team_id: zNullableString,
    user_id: zNullableString,
    metadata: z.record(z.string(), z.unknown()).nullish(),
    blocked: z.boolean().nullish(),
    allowed_routes: z.array(z.string()).nullish(),
  }),
});

const zSpend = z.number().nullish();
const zMetadataField = z.record(z.string(), z.unknown()).nullish();
const zTeamPage = z.looseObject({
  teams: z.array(
    z.looseObject({
      team_id: z.string(),
      team_alias: zNullableString,
      spend: zSpend,
      max_budget: z.number().nullish(),
      budget_duration: zNullableString,
      budget_reset_at: zNullableString,
      tpm_limit: z.number().nullish(),
      rpm_limit: z.number().nullish(),
      models: z.array(z.string()).nullish(),
      blocked: z.boolean().nullish(),
      members_count: z.number().nullish(),
      metadata: zMetadataField,
    }),
  ),
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
  total_pages: z.number(),
});
const zKeyPage = z.looseObject({
  keys: z.array(
    z.looseObject({
      token: z.string().min(1),
      key_alias: zNullableString,
      key_name: zNullableString,
      team_id: zNullableString,
      user_id: zNullableString,
      spend: zSpend,
      metadata: zMetadataField,
      blocked: z.boolean().nullish(),
      allowed_routes: z.array(z.string()).nullish(),
    }),
  ),
  total_count: z.number(),
  current_page: z.number(),
  total_pages: z.number(),
});

/** LiteLLM refuses pages larger than this on both listings (FastAPI `le=100`). */
export const MAX_LIST_PAGE_SIZE = 100;

function pageQuery(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) search.set(name, String(value));
  return search.toString();
}

function checkPaging(operation: LiteLLMOperation, page: number, size: number): void {
  if (!Number.isInteger(page) || page < 1) invalidInput(operation, "page must be an integer >= 1");
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIST_PAGE_SIZE) {
    invalidInput(operation, `page size must be an integer in 1..${MAX_LIST_PAGE_SIZE}`);
  }
}

function toTeam(body: z.infer<typeof zTeam>): LiteLLMTeam {
  return {
    teamId: body.team_id,
    teamAlias: body.team_alias ?? null,
    members: (body.members_with_roles ?? []).map((m) => ({
      userId: m.user_id ?? null,
      userEmail: m.user_email ?? null,
      role: m.role,
    })),
  };
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
  // An ES private field so the key stays out of console.log / JSON.stringify of the client.
  readonly #masterKey: string;
  readonly #transport: Transport;
  readonly #observer: LiteLLMCallObserver | undefined;

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
    this.#masterKey = options.masterKey;
    this.#transport = options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport();
    this.#observer = options.observer;
  }

  /** Closes pooled keep-alive connections (e.g. on shutdown); the client stays usable. */
  close(): void {
    this.#transport.close();
  }

  // ---- LiteLLM endpoints -------------------------------------------------------------

  /** POST /team/new. Fails with `already_exists` / `team_exists` if the id is taken. */
  async createTeam(input: CreateTeamInput): Promise<LiteLLMTeam> {
    requireText("createTeam", { teamId: input.teamId, teamAlias: input.teamAlias });
    const body = await this.#call("createTeam", "POST", "/team/new", zTeam, {
      team_id: input.teamId,
      team_alias: input.teamAlias,
      ...(input.limits ? teamLimitsBody(input.limits) : {}),
      ...(input.blocked ? { blocked: true } : {}),
    });
    return toTeam(body);
  }

  /** POST /team/member_add. Returns the team with its members after the call. */
  async addTeamMembers(input: AddTeamMembersInput): Promise<LiteLLMTeam> {
    requireText("addTeamMembers", { teamId: input.teamId });
    if (input.members.length === 0) invalidInput("addTeamMembers", "members must not be empty");
    for (const member of input.members) requireText("addTeamMembers", { userId: member.userId });
    const body = await this.#call("addTeamMembers", "POST", "/team/member_add", zTeam, {
      team_id: input.teamId,
      member: input.members.map((m) => ({ user_id: m.userId, role: m.role })),
    });
    return toTeam(body);
  }

  /**
   * POST /team/member_delete. LiteLLM releases since pull request 17057 (November 2025)
   * also delete that member's keys in the team; older ones keep them. Fails with
   * `member_not_found` / `team_not_found`.
   */
  async removeTeamMember(input: { teamId: string; userId: string }): Promise<void> {
    requireText("removeTeamMember", { teamId: input.teamId, userId: input.userId });
    await this.#call("removeTeamMember", "POST", "/team/member_delete", zAnyObject, {
      team_id: input.teamId,
      user_id: input.userId,
    });
  }

  /** POST /team/update of the alias. Fails with `not_found`/`team_not_found` if the team is missing. */
  async updateTeam(input: UpdateTeamInput): Promise<void> {
    requireText("updateTeam", { teamId: input.teamId, teamAlias: input.teamAlias });
    await this.#call("updateTeam", "POST", "/team/update", zUpdatedTeam, {
      team_id: input.teamId,
      team_alias: input.teamAlias,
    });
  }

  /**
   * POST /team/update of the budget and limits (every field sent, so a cleared limit is
   * cleared on the proxy too). Fails with `not_found`/`team_not_found` if the team is missing.
   */
  async updateTeamLimits(input: TeamLimitsInput): Promise<void> {
    requireText("updateTeam", { teamId: input.teamId });
    await this.#call("updateTeam", "POST", "/team/update", zUpdatedTeam, {
      team_id: input.teamId,
      ...teamLimitsBody(input),
    });
  }

  /**
   * POST /team/block or /team/unblock: every key of the team is refused (or served again).
   * Fails with `not_found`/`team_not_found` if the team is missing.
   */
  async setTeamBlocked(teamId: string, blocked: boolean): Promise<void> {
    const operation = blocked ? "blockTeam" : "unblockTeam";
    requireText(operation, { teamId });
    await this.#call(operation, "POST", blocked ? "/team/block" : "/team/unblock", zUpdatedTeam, {
      team_id: teamId,
    });
  }

  /** POST /key/block or /key/unblock by token id or secret; `key_not_found` if it is missing. */
  async setKeyBlocked(key: string, blocked: boolean): Promise<void> {
    const operation = blocked ? "blockKey" : "unblockKey";
    requireText(operation, { key });
    await this.#call(operation, "POST", blocked ? "/key/block" : "/key/unblock", zAnyObject, {
      key,
    });
  }

  /**
   * POST /team/delete. LiteLLM deletes the teams' keys with them, and refuses the whole
   * request (`not_found`/`team_not_found`) when one of the teams does not exist.
   */
  async deleteTeams(teamIds: readonly string[]): Promise<void> {
    if (teamIds.length === 0) invalidInput("deleteTeams", "teamIds must not be empty");
    for (const teamId of teamIds) requireText("deleteTeams", { teamId });
    await this.#call("deleteTeams", "POST", "/team/delete", zAnyObject, { team_ids: [...teamIds] });
  }

  /** POST /key/generate. The returned secret is shown once; store only `token`. */
  async generateKey(input: GenerateKeyInput): Promise<GeneratedKey> {
    requireText("generateKey", {
      keyAlias: input.keyAlias,
      teamId: input.teamId,
      userId: input.userId,
    });
    const body = await this.#call("generateKey", "POST", "/key/generate", zGeneratedKey, {
      ...(input.key ? { key: input.key } : {}),
      key_alias: input.keyAlias,
      team_id: input.teamId,
      user_id: input.userId,
      metadata: input.metadata ?? {},
      ...(input.allowedRoutes ? { allowed_routes: [...input.allowedRoutes] } : {}),
      ...(input.blocked ? { blocked: true } : {}),
    });
    // `token_id` is the hash in every version; `token` is the hash in current ones but was
    // the secret in old ones, so it is only trusted when it differs from the secret.
    const token =
      body.token_id ??
      (body.token && body.token !== body.key ? body.token : litellmKeyToken(body.key));
    return {
      key: body.key,
      token,
      keyAlias: body.key_alias ?? null,
      teamId: body.team_id ?? null,
      userId: body.user_id ?? null,
    };
  }

  /**
   * POST /key/update. Moving a key (`teamId`) needs the target team to exist and the key's
   * owner to be a member of it: otherwise `not_found`/`team_not_found` or
   * `rejected`/`not_team_member`. Repeating a finished move is a no-op for LiteLLM.
   */
  async updateKey(input: UpdateKeyInput): Promise<UpdatedKey> {
    requireText("updateKey", { key: input.key });
    if (
      input.teamId === undefined &&
      input.keyAlias === undefined &&
      input.userId === undefined &&
      input.allowedRoutes === undefined
    ) {
      invalidInput(
        "updateKey",
        "nothing to update: give teamId, keyAlias, userId and/or allowedRoutes",
      );
    }
    const payload: Record<string, string | string[]> = { key: input.key };
    if (input.allowedRoutes !== undefined) payload.allowed_routes = [...input.allowedRoutes];
    if (input.teamId !== undefined)
      payload.team_id = requireText("updateKey", { teamId: input.teamId });
    if (input.keyAlias !== undefined) {
      payload.key_alias = requireText("updateKey", { keyAlias: input.keyAlias });
    }
    // The key's owner on the proxy (LiteLLM's user_id), e.g. after a transfer.
    if (input.userId !== undefined)
      payload.user_id = requireText("updateKey", { userId: input.userId });
    const body = await this.#call("updateKey", "POST", "/key/update", zUpdatedKey, payload);
    const result: UpdatedKey = { token: litellmKeyToken(input.key) };
    if (body.team_id !== undefined) result.teamId = body.team_id;
    if (body.key_alias !== undefined) result.keyAlias = body.key_alias;
    return result;
  }

  /** POST /key/delete. Fails with `not_found`/`key_not_found` when none of the keys exist. */
  async deleteKeys(input: DeleteKeysInput): Promise<DeletedKeys> {
    if (input.keys.length === 0) invalidInput("deleteKeys", "keys must not be empty");
    for (const key of input.keys) requireText("deleteKeys", { key });
    const body = await this.#call("deleteKeys", "POST", "/key/delete", zDeletedKeys, {
      keys: [...input.keys],
    });
    return { deletedKeys: body.deleted_keys };
  }

  /** GET /key/info?key=... by token id or secret. */
  async keyInfo(key: string): Promise<KeyInfo> {
    requireText("keyInfo", { key });
    const body = await this.#call(
      "keyInfo",
      "GET",
      `/key/info?key=${encodeURIComponent(key)}`,
      zKeyInfo,
    );
    return {
      token: litellmKeyToken(key),
      keyAlias: body.info.key_alias ?? null,
      keyName: body.info.key_name ?? null,
      teamId: body.info.team_id ?? null,
      userId: body.info.user_id ?? null,
      metadata: body.info.metadata ?? {},
      blocked: body.info.blocked ?? false,
      allowedRoutes: body.info.allowed_routes ?? [],
    };
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

  /** GET /v2/team/list: one page of teams (offset paging, at most 100 a page). */
  async listTeams(input: ListTeamsInput = {}): Promise<TeamPage> {
    const page = input.page ?? 1;
    const pageSize = input.pageSize ?? MAX_LIST_PAGE_SIZE;
    checkPaging("listTeams", page, pageSize);
    const query = pageQuery({
      page,
      page_size: pageSize,
      team_id: input.teamId,
      sort_by: input.sortBy,
      sort_order: input.sortOrder,
    });
    const body = await this.#call("listTeams", "GET", `/v2/team/list?${query}`, zTeamPage);
    return {
      teams: body.teams.map((t) => ({
        teamId: t.team_id,
        teamAlias: t.team_alias ?? null,
        spend: t.spend ?? null,
        maxBudget: t.max_budget ?? null,
        budgetDuration: t.budget_duration ?? null,
        budgetResetAt: t.budget_reset_at ?? null,
        tpmLimit: t.tpm_limit ?? null,
        rpmLimit: t.rpm_limit ?? null,
        models: t.models ?? [],
        blocked: t.blocked ?? false,
        membersCount: t.members_count ?? null,
        metadata: t.metadata ?? {},
      })),
      total: body.total,
      page: body.page,
      pageSize: body.page_size,
      totalPages: body.total_pages,
    };
  }

  /** GET /key/list with full objects: one page of keys (offset paging, at most 100 a page). */
  async listKeys(input: ListKeysInput = {}): Promise<KeyPage> {
    const page = input.page ?? 1;
    const size = input.size ?? MAX_LIST_PAGE_SIZE;
    checkPaging("listKeys", page, size);
    const query = pageQuery({
      page,
      size,
      team_id: input.teamId,
      return_full_object: true,
      sort_by: input.sortBy,
      sort_order: input.sortOrder,
    });
    const body = await this.#call("listKeys", "GET", `/key/list?${query}`, zKeyPage);
    return {
      keys: body.keys.map((k) => ({
        token: k.token,
        keyAlias: k.key_alias ?? null,
        keyName: k.key_name ?? null,
        teamId: k.team_id ?? null,
        userId: k.user_id ?? null,
        spend: k.spend ?? null,
        metadata: k.metadata ?? {},
        blocked: k.blocked ?? false,
        allowedRoutes: k.allowed_routes ?? [],
      })),
      totalCount: body.total_count,
      page: body.current_page,
      totalPages: body.total_pages,
    };
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

  // ---- Transport ------------------------------------------------------------------------

  async #call<T>(
    operation: LiteLLMOperation,
    method: "GET" | "POST",
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    if (!this.#observer) return (await this.#send(operation, method, path, schema, body)).data;
    const observer = this.#observer;
    const started = performance.now();
    const route = `${method} ${path.split("?")[0]}`;
    const report = (
      status: number | undefined,
      error: { kind: string; reason: string } | null,
    ): void => {
      try {
        observer({ operation, route, status, durationMs: performance.now() - started, error });
      } catch {
        // An observer's failure must never become the call's.
      }
    };
    try {
      const { status, data } = await this.#send(operation, method, path, schema, body);
      report(status, null);
      return data;
    } catch (error) {
      if (error instanceof LiteLLMError)
        report(error.status, { kind: error.kind, reason: error.reason });
      else report(undefined, { kind: "internal", reason: "unexpected" });
      throw error;
    }
  }

  async #send<T>(
    operation: LiteLLMOperation,
    method: "GET" | "POST",
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<{ status: number; data: T }> {
    // The route names the call in errors; the query (which may hold a key) stays out.
    const route = `${method} ${path.split("?")[0]}`;
    let status: number;
    let text: string;
    try {
      ({ status, text } = await this.#transport.send({
        method,
        url: new URL(`${this.baseUrl}${path}`),
        headers: {
          authorization: `Bearer ${this.#masterKey}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.timeoutMs,
      }));
    } catch (error) {
      const { kind, reason } = classifyNetworkFailure(error);
      const what =
        kind === "timeout"
          ? `no answer within ${this.timeoutMs} ms (the request may still have taken effect)`
          : `proxy unreachable (${networkErrorCode(error) ?? "network error"})`;
      throw new LiteLLMError(this.#redact(`LiteLLM ${operation} (${route}) failed: ${what}`), {
        kind,
        reason,
        operation,
        cause: error,
      });
    }

    if (status < 200 || status >= 300) {
      const parsed = parseErrorBody(text);
      const { kind, reason } = classifyHttpFailure(operation, status, parsed);
      const litellmMessage =
        parsed.message === undefined ? undefined : this.#redact(parsed.message);
      throw new LiteLLMError(
        `LiteLLM ${operation} (${route}) failed with HTTP ${status}: ${litellmMessage ?? "no message"}`,
        { kind, reason, operation, status, litellmMessage, litellmType: parsed.type },
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.#badResponse(operation, route, status, "body is not JSON");
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      const fields = result.error.issues.map((i) => i.path.join(".") || "(root)").join(", ");
      throw this.#badResponse(operation, route, status, `unexpected body (fields: ${fields})`);
    }
    return { status, data: result.data };
  }

  #badResponse(
    operation: LiteLLMOperation,
    route: string,
    status: number,
    what: string,
  ): LiteLLMError {
    return new LiteLLMError(`LiteLLM ${operation} (${route}) answered HTTP ${status} but ${what}`, {
      kind: "protocol",
      reason: "bad_response",
      operation,
      status,
    });
  }

  #redact(text: string): string {
    return redact(text, this.#masterKey);
  }
}

/** LiteLLM's names for a team's limits; `budget_duration` only when given (see TeamLimitsInput). */
function teamLimitsBody(limits: Omit<TeamLimitsInput, "teamId">): Record<string, unknown> {
  return {
    max_budget: limits.maxBudget,
    ...(limits.budgetDuration !== undefined ? { budget_duration: limits.budgetDuration } : {}),
    tpm_limit: limits.tpmLimit,
    rpm_limit: limits.rpmLimit,
    models: limits.models,
  };
}

function invalidInput(operation: LiteLLMOperation, what: string): never {
  throw new LiteLLMError(`LiteLLM ${operation}: invalid input: ${what}`, {
    kind: "rejected",
    reason: "invalid_request",
    operation,
  });
}

/** Checks each named field is a non-empty string; returns the (last) value for inline use. */
function requireText(operation: LiteLLMOperation, fields: Record<string, string>): string {
  let last = "";
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== "string" || value.trim() === "") {
      invalidInput(operation, `${name} must be a non-empty string`);
    }
    last = value;
  }
  return last;
}
