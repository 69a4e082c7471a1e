/**
 * The two paged listings Gatehouse's reconciliation reads, modelled on LiteLLM's code:
 *
 * - `GET /v2/team/list` (team_endpoints.py `list_team_v2`): `page` >= 1, `page_size` 1..100
 *   (default 10), optional exact `team_id`, `sort_by` in team_id | team_alias | created_at
 *   (anything else is ignored), `sort_order` asc | desc (default asc when sort_by is given;
 *   without sort_by the order is created_at desc). Answers
 *   `{teams, total, page, page_size, total_pages}`; each team carries `spend` and
 *   `members_count` (as current releases answer it).
 * - `GET /key/list` (key_management_endpoints.py `list_keys` / `_list_key_helper`): `page`
 *   >= 1, `size` 1..100 (default 10), optional `team_id`, `key_alias`, `key_hash`,
 *   `return_full_object` (else `keys` is a list of token hashes), `sort_by` in spend |
 *   max_budget | created_at | updated_at | token | key_alias (else 400 "Invalid sort
 *   column..."), `sort_order` asc | desc (default desc; else 400). Default order: created_at
 *   desc, token desc. Answers `{keys, total_count, current_page, total_pages}`.
 * Both are offset-paged, so a listing that runs while keys change may skip or repeat an
 * entry: readers must tolerate that (Gatehouse's reconciliation re-checks what it misses).
 *
 * Out-of-range query values are FastAPI 422s with pydantic's wording, as for a real proxy.
 */
import { keyRow, teamRow, type RouteHandler } from "./route-kit.ts";
import type { ContractKey, ContractState, ContractTeam } from "./state.ts";
import { validationError, wrappedHttpException, type WireResponse } from "./wire.ts";

export interface IntRule {
  name: string;
  fallback: number;
  ge: number;
  le?: number;
}

/** FastAPI's `Query(default, ge=, le=)` for an int, or the 422 it would answer. */
export function intQuery(
  query: URLSearchParams,
  rule: IntRule,
): { ok: true; value: number } | { ok: false; response: WireResponse } {
  const raw = query.get(rule.name);
  if (raw === null || raw === "") return { ok: true, value: rule.fallback };
  const loc = ["query", rule.name];
  if (!/^[+-]?\d+$/.test(raw.trim())) {
    return {
      ok: false,
      response: validationError([
        {
          type: "int_parsing",
          loc,
          msg: "Input should be a valid integer, unable to parse string as an integer",
          input: raw,
        },
      ]),
    };
  }
  const value = Number(raw);
  if (value < rule.ge) {
    return {
      ok: false,
      response: validationError([
        {
          type: "greater_than_equal",
          loc,
          msg: `Input should be greater than or equal to ${rule.ge}`,
          input: raw,
          ctx: { ge: rule.ge },
        },
      ]),
    };
  }
  if (rule.le !== undefined && value > rule.le) {
    return {
      ok: false,
      response: validationError([
        {
          type: "less_than_equal",
          loc,
          msg: `Input should be less than or equal to ${rule.le}`,
          input: raw,
          ctx: { le: rule.le },
        },
      ]),
    };
  }
  return { ok: true, value };
}

const isTrue = (raw: string | null): boolean =>
  raw !== null && ["true", "1", "yes", "on"].includes(raw.toLowerCase());
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

const teamOrderCache = new WeakMap<ContractState, { version: number; view: ContractTeam[] }>();

/** created_at desc (insertion order reversed), rebuilt only when a team was added or removed. */
function defaultTeamOrder(state: ContractState): ContractTeam[] {
  const cached = teamOrderCache.get(state);
  if (cached && cached.version === state.teams.version) return cached.view;
  const view = [...state.teams.values()].reverse();
  teamOrderCache.set(state, { version: state.teams.version, view });
  return view;
}

const listTeamsV2: RouteHandler = ({ state }, { query }) => {
  const page = intQuery(query, { name: "page", fallback: 1, ge: 1 });
  if (!page.ok) return page.response;
  const pageSize = intQuery(query, { name: "page_size", fallback: 10, ge: 1, le: 100 });
  if (!pageSize.ok) return pageSize.response;

  const teamId = query.get("team_id");
  const alias = query.get("team_alias")?.toLowerCase();
  const sortBy = query.get("sort_by");
  let teams: ContractTeam[];
  if (!teamId && !alias && sortBy === null) {
    // The spend sync's full listing: the default order, cached while the set of teams holds.
    teams = defaultTeamOrder(state);
  } else {
    teams = teamId
      ? [state.teams.get(teamId)].filter((t): t is ContractTeam => t !== undefined)
      : [...state.teams.values()];
    if (alias) teams = teams.filter((t) => (t.teamAlias ?? "").toLowerCase().includes(alias));
    const order = (query.get("sort_order") ?? "asc").toLowerCase() === "desc" ? -1 : 1;
    if (sortBy === "team_id") teams.sort((a, b) => order * compare(a.teamId, b.teamId));
    else if (sortBy === "team_alias")
      teams.sort((a, b) => order * compare(a.teamAlias ?? "", b.teamAlias ?? ""));
    else if (sortBy === "created_at")
      teams.sort((a, b) => order * compare(a.createdAt, b.createdAt));
    // Default: created_at desc; insertion order reversed is that order (ties stay stable).
    else teams.reverse();
  }

  const skip = (page.value - 1) * pageSize.value;
  const slice = teams.slice(skip, skip + pageSize.value);
  return {
    status: 200,
    body: {
      teams: slice.map((t) => ({ ...teamRow(t), members_count: t.members.size })),
      total: teams.length,
      page: page.value,
      page_size: pageSize.value,
      total_pages: ceilDiv(teams.length, pageSize.value),
    },
  };
};

const KEY_SORT_COLUMNS = [
  "spend",
  "max_budget",
  "created_at",
  "updated_at",
  "token",
  "key_alias",
] as const;
type KeySortColumn = (typeof KEY_SORT_COLUMNS)[number];

/**
 * Sorted views of all keys, rebuilt only when a key changed: a reconciliation pages through
 * 100,000 keys a hundred at a time, and sorting them per page would cost seconds per call.
 */
const sortedCache = new WeakMap<
  ContractState,
  { version: number; views: Map<string, ContractKey[]> }
>();

function sortedKeys(
  state: ContractState,
  column: KeySortColumn | null,
  order: 1 | -1,
): ContractKey[] {
  let cache = sortedCache.get(state);
  if (!cache || cache.version !== state.keysVersion) {
    cache = { version: state.keysVersion, views: new Map() };
    sortedCache.set(state, cache);
  }
  const viewKey = `${column ?? "default"}:${order}`;
  let view = cache.views.get(viewKey);
  if (!view) {
    view = [...state.keys.values()];
    if (column === null) {
      // created_at desc, token desc (LiteLLM's default with its fallback tie-breaker).
      view.sort((a, b) => compare(b.createdAt, a.createdAt) || compare(b.token, a.token));
    } else {
      const field = (k: ContractKey): string | number =>
        column === "token"
          ? k.token
          : column === "key_alias"
            ? (k.keyAlias ?? "")
            : column === "created_at"
              ? k.createdAt
              : column === "updated_at"
                ? k.updatedAt
                : column === "spend"
                  ? (k.spend ?? 0)
                  : (k.maxBudget ?? 0);
      view.sort((a, b) => {
        const x = field(a);
        const y = field(b);
        return order * (x < y ? -1 : x > y ? 1 : 0);
      });
    }
    cache.views.set(viewKey, view);
  }
  return view;
}

const listKeys: RouteHandler = ({ state }, { query }) => {
  const page = intQuery(query, { name: "page", fallback: 1, ge: 1 });
  if (!page.ok) return page.response;
  const size = intQuery(query, { name: "size", fallback: 10, ge: 1, le: 100 });
  if (!size.ok) return size.response;

  const sortBy = query.get("sort_by");
  const sortOrder = (query.get("sort_order") ?? "desc").toLowerCase();
  let column: KeySortColumn | null = null;
  if (sortBy !== null) {
    if (!(KEY_SORT_COLUMNS as readonly string[]).includes(sortBy)) {
      return wrappedHttpException(
        400,
        `Invalid sort column. Must be one of: ${KEY_SORT_COLUMNS.join(", ")}`,
      );
    }
    if (sortOrder !== "asc" && sortOrder !== "desc") {
      return wrappedHttpException(400, "Invalid sort order. Must be 'asc' or 'desc'");
    }
    column = sortBy as KeySortColumn;
  }

  let keys = sortedKeys(state, column, sortOrder === "asc" ? 1 : -1);
  const teamId = query.get("team_id");
  const keyAlias = query.get("key_alias");
  const keyHash = query.get("key_hash");
  if (teamId || keyAlias || keyHash) {
    keys = keys.filter(
      (k) =>
        (!teamId || k.teamId === teamId) &&
        (!keyAlias || k.keyAlias === keyAlias) &&
        (!keyHash || k.token === keyHash),
    );
  }

  const skip = (page.value - 1) * size.value;
  const slice = keys.slice(skip, skip + size.value);
  const full = isTrue(query.get("return_full_object"));
  return {
    status: 200,
    body: {
      keys: full
        ? slice.map((k) => ({ ...keyRow(k), token: k.token, created_by: null, updated_by: null }))
        : slice.map((k) => k.token),
      total_count: keys.length,
      current_page: page.value,
      total_pages: ceilDiv(keys.length, size.value),
    },
  };
};

export const listRoutes: ReadonlyMap<string, { method: "GET" | "POST"; handler: RouteHandler }> =
  new Map([
    ["/v2/team/list", { method: "GET", handler: listTeamsV2 }],
    ["/key/list", { method: "GET", handler: listKeys }],
  ]);
