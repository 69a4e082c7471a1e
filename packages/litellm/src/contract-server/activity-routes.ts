/**
 * `GET /team/daily/activity`: a team's spend per UTC day, open-source LiteLLM
 * (team_endpoints.py `get_team_daily_activity` -> common_daily_activity.py
 * `get_daily_activity` over LiteLLM_DailyTeamSpend, no licence check). VERIFIED from source:
 * - query `team_ids` (comma-separated; absent = every team), `start_date` and `end_date`
 *   (`YYYY-MM-DD`, inclusive; either missing -> HTTPException 400 escaping as
 *   `{"detail": {"error": "Please provide start_date and end_date"}}`), `model`, `api_key`,
 *   `exclude_team_ids`, `page` (default 1), `page_size` (default 10, no upper bound);
 * - paging is over the table's rows (one per team, day, key, model, provider), ordered
 *   `date desc, id asc`; each page's rows are grouped by date into `results` (date desc):
 *   `{date, metrics, breakdown: {models, model_groups, mcp_servers, providers, api_keys,
 *   entities, endpoints}}`, `entities` keyed by team id with `metadata.team_alias`;
 * - `metadata`: the page's totals, `page`, `total_pages` (ceiling of rows / page_size) and
 *   `has_more` (page * page_size < rows).
 * ASSUMED: a page or page_size below 1 fails in Prisma (negative skip/take) and answers
 * 500 `{"detail": {"error": "Failed to fetch analytics: ..."}}` with this text after the
 * colon. Only the proxy admin (master key) is modelled; a team member's own view is not.
 */
import { intQuery } from "./list-routes.ts";
import { ok, type RouteHandler } from "./route-kit.ts";
import type { ContractDailyTeamSpend } from "./state.ts";
import { fastapiDetail } from "./wire.ts";

interface Metrics {
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  api_requests: number;
  successful_requests: number;
  failed_requests: number;
}

const emptyMetrics = (): Metrics => ({
  spend: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
  api_requests: 0,
  successful_requests: 0,
  failed_requests: 0,
});

function add(metrics: Metrics, row: ContractDailyTeamSpend): void {
  metrics.spend += row.spend;
  metrics.prompt_tokens += row.promptTokens;
  metrics.completion_tokens += row.completionTokens;
  metrics.total_tokens += row.promptTokens + row.completionTokens;
  metrics.api_requests += row.apiRequests;
  metrics.successful_requests += row.successfulRequests;
  metrics.failed_requests += row.failedRequests;
}

type Bucket = { metrics: Metrics; metadata: Record<string, unknown> };

function addTo(
  buckets: Record<string, Bucket>,
  key: string,
  row: ContractDailyTeamSpend,
  metadata: Record<string, unknown> = {},
): void {
  const bucket = (buckets[key] ??= { metrics: emptyMetrics(), metadata });
  add(bucket.metrics, row);
}

const list = (raw: string | null): string[] | null =>
  raw ? raw.split(",").filter((s) => s !== "") : null;

export const teamDailyActivity: RouteHandler = ({ state }, { query }) => {
  const startDate = query.get("start_date");
  const endDate = query.get("end_date");
  const page = intQuery(query, { name: "page", fallback: 1, ge: Number.MIN_SAFE_INTEGER });
  if (!page.ok) return page.response;
  const pageSize = intQuery(query, {
    name: "page_size",
    fallback: 10,
    ge: Number.MIN_SAFE_INTEGER,
  });
  if (!pageSize.ok) return pageSize.response;
  if (!startDate || !endDate)
    return fastapiDetail(400, { error: "Please provide start_date and end_date" });
  if (page.value < 1 || pageSize.value < 1) {
    return fastapiDetail(500, {
      error: "Failed to fetch analytics: skip and take must not be negative",
    });
  }
  const teamIds = list(query.get("team_ids"));
  const excluded = new Set(list(query.get("exclude_team_ids")) ?? []);
  const model = query.get("model");
  const apiKey = query.get("api_key");
  const wanted = teamIds === null ? null : new Set(teamIds);

  // Stable sort keeps insertion order (the id tie-breaker) within a date.
  const rows = state.dailyTeamSpend
    .filter(
      (r) =>
        r.date >= startDate &&
        r.date <= endDate &&
        (wanted === null || wanted.has(r.teamId)) &&
        !excluded.has(r.teamId) &&
        (!model || r.model === model) &&
        (!apiKey || r.apiKey === apiKey),
    )
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const total = rows.length;
  const onPage = rows.slice((page.value - 1) * pageSize.value, page.value * pageSize.value);

  const totals = emptyMetrics();
  const byDate = new Map<
    string,
    {
      metrics: Metrics;
      models: Record<string, Bucket>;
      providers: Record<string, Bucket>;
      apiKeys: Record<string, Bucket>;
      entities: Record<string, Bucket>;
    }
  >();
  for (const row of onPage) {
    let day = byDate.get(row.date);
    if (!day) {
      day = { metrics: emptyMetrics(), models: {}, providers: {}, apiKeys: {}, entities: {} };
      byDate.set(row.date, day);
    }
    add(day.metrics, row);
    add(totals, row);
    addTo(day.models, row.model, row);
    addTo(day.providers, row.customLlmProvider || "unknown", row);
    addTo(day.apiKeys, row.apiKey, row);
    addTo(day.entities, row.teamId || "Unassigned", row, {
      team_alias: state.teams.get(row.teamId)?.teamAlias ?? null,
    });
  }
  const results = [...byDate.entries()].map(([date, day]) => ({
    date,
    metrics: day.metrics,
    breakdown: {
      models: day.models,
      model_groups: day.models,
      mcp_servers: {},
      providers: day.providers,
      api_keys: day.apiKeys,
      entities: day.entities,
      endpoints: {},
    },
  }));
  return ok({
    results,
    metadata: {
      total_spend: totals.spend,
      total_prompt_tokens: totals.prompt_tokens,
      total_completion_tokens: totals.completion_tokens,
      total_tokens: totals.total_tokens,
      total_api_requests: totals.api_requests,
      total_successful_requests: totals.successful_requests,
      total_failed_requests: totals.failed_requests,
      total_cache_read_input_tokens: 0,
      total_cache_creation_input_tokens: 0,
      page: page.value,
      total_pages: Math.ceil(total / pageSize.value),
      has_more: page.value * pageSize.value < total,
    },
  });
};
