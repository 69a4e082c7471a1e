/**
 * The team listing in SQL, from core's `planTeamList` plan. Hand-written (through `pg`,
 * not Prisma) because its shape is what keeps it fast at a million teams:
 * - each branch of the visible set is read in order from its own index and limited, and
 *   the branches are UNIONed (one `org IN (...) OR id IN (memberships)` defeats indexes);
 * - the page query selects only ids and sort keys, so offsets walk an index, not rows;
 * - member and key counts and active products are computed for the page's teams only;
 * - the total is exact up to a cap and reported as capped above it; a capped total is
 *   remembered for a few seconds (see list-totals.ts), so a busy first page does not count
 *   10,001 rows on every request;
 * - statements are named (`namedStatement`): each connection plans a shape once.
 */
import { expiryCutoff, forbidden, type TeamBranch, type TeamListPlan } from "@gatehouse/core";
import type pg from "pg";
import { namedStatement } from "../client.ts";
import { cappedTotal, totalKey, totalsOf, track } from "./list-totals.ts";

export type TeamSortBy = "createdAt" | "name" | "id" | "spend";
export type SortOrder = "asc" | "desc";

export interface TeamListFilters {
  teamId?: string | undefined;
  name?: string | undefined;
  search?: string | undefined;
  expired?: boolean | undefined;
  /** Has any block reason (team_blocks, served by its primary key). */
  blocked?: boolean | undefined;
}

export interface TeamListQuery {
  plan: TeamListPlan;
  filters: TeamListFilters;
  sortBy: TeamSortBy;
  sortOrder: SortOrder;
  pageSize: number;
  /** Offset paging, ignored when `after` is set. */
  offset: number;
  /** Keyset paging: the sort value and id of the last row of the previous page. */
  after: { value: string; id: string } | null;
  now: Date;
  expiryGraceDays: number;
  /** Totals above this are reported as `totalCapped`. */
  totalCap: number;
}

export interface TeamListRow {
  id: string;
  name: string;
  organizationId: string | null;
  organizationName: string | null;
  createdAt: Date;
  alwaysFree: boolean;
  lastPaymentAt: Date | null;
  membersCount: number;
  keysCount: number;
  activeProducts: Array<{ id: string; name: string }>;
  /** Active and lapsed attachments, for "renews on" / "lapsed on" (core renewalView). */
  renewals: Array<{
    productId: string;
    name: string;
    status: "ACTIVE" | "LAPSED";
    createdAt: Date;
    renewalPeriodDays: number;
    lapsedAt: Date | null;
  }>;
  blocked: boolean;
  /** Sum of the latest spend read on every region; null while never read. */
  spendUsd: number | null;
}

export interface TeamListResult {
  rows: TeamListRow[];
  /** The sort value of the last row, for the next cursor. */
  lastSortValue: string | null;
  hasMore: boolean;
  total: number;
  totalCapped: boolean;
}

export const DEFAULT_TOTAL_CAP = 10_000;

/**
 * The sort key of each order, as written in its index. Name: the lower-cased name compared
 * byte by byte, so the order is case-insensitive and the same on PGlite and on any server
 * whatever its collation (index teams_name_sort_idx); cursors carry this key. Spend: the
 * total the spend sync keeps on the row (indexes teams_spend_id_idx, teams_org_spend_id_idx).
 */
const sortColumn: Record<TeamSortBy, string> = {
  createdAt: "t.created_at",
  name: `lower(t.name) COLLATE "C"`,
  id: "t.id",
  spend: "t.spend_usd",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `%text%` for ILIKE, with the caller's own % and _ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function branchSource(branch: TeamBranch, p: Params): { from: string; where: string[] } {
  switch (branch.kind) {
    case "all":
      return { from: "teams t", where: [] };
    case "org":
      return {
        from: "teams t",
        where: [`t.organization_id = ${p.add(branch.organizationId)}::uuid`],
      };
    case "orgs":
      return {
        from: "teams t",
        where: [`t.organization_id = ANY(${p.add(branch.organizationIds)}::uuid[])`],
      };
    case "member":
      return {
        from: "team_members bm JOIN teams t ON t.id = bm.team_id",
        where: [`bm.user_id = ${p.add(branch.userId)}::uuid`],
      };
  }
}

/** Predicates every branch shares: visibility guard, organization, filters, keyset. */
function narrowing(query: TeamListQuery, p: Params, withKeyset: boolean): string[] {
  const plan = query.plan as Extract<TeamListPlan, { kind: "query" }>;
  const where: string[] = [];
  if (plan.visibleTo) {
    const orgs = `t.organization_id = ANY(${p.add(plan.visibleTo.organizationIds)}::uuid[])`;
    where.push(
      plan.visibleTo.memberUserId
        ? `(${orgs} OR EXISTS (SELECT 1 FROM team_members v WHERE v.team_id = t.id AND v.user_id = ${p.add(plan.visibleTo.memberUserId)}::uuid))`
        : orgs,
    );
  }
  if (plan.organizationId) where.push(`t.organization_id = ${p.add(plan.organizationId)}::uuid`);
  const { filters } = query;
  if (filters.teamId !== undefined) {
    // A malformed id matches nothing rather than failing the cast.
    where.push(UUID.test(filters.teamId) ? `t.id = ${p.add(filters.teamId)}::uuid` : "false");
  }
  if (filters.name) where.push(`t.name ILIKE ${p.add(containsPattern(filters.name))}`);
  if (filters.search) {
    const byName = `t.name ILIKE ${p.add(containsPattern(filters.search))}`;
    where.push(
      UUID.test(filters.search) ? `(t.id = ${p.add(filters.search)}::uuid OR ${byName})` : byName,
    );
  }
  if (filters.expired !== undefined) {
    const cutoff = p.add(expiryCutoff(query.now, query.expiryGraceDays));
    // Same rule as core isTeamExpired, at the same cutoff.
    const expired = `(NOT t.always_free
      AND COALESCE(t.last_payment_at, t.created_at) < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM team_products ep WHERE ep.team_id = t.id AND ep.status = 'ACTIVE'))`;
    where.push(filters.expired ? expired : `NOT ${expired}`);
  }
  if (filters.blocked !== undefined) {
    where.push(
      `${filters.blocked ? "" : "NOT "}EXISTS (SELECT 1 FROM team_blocks fb WHERE fb.team_id = t.id)`,
    );
  }
  if (withKeyset && query.after) {
    const cmp = query.sortOrder === "asc" ? ">" : "<";
    const id = p.add(query.after.id);
    if (query.sortBy === "id") {
      where.push(`t.id ${cmp} ${id}::uuid`);
    } else {
      const cast =
        query.sortBy === "createdAt"
          ? "::timestamptz"
          : query.sortBy === "spend"
            ? "::numeric"
            : `::text COLLATE "C"`;
      where.push(
        `(${sortColumn[query.sortBy]}, t.id) ${cmp} (${p.add(query.after.value)}${cast}, ${id}::uuid)`,
      );
    }
  }
  return where;
}

const whereClause = (parts: string[]) => (parts.length ? `WHERE ${parts.join(" AND ")}` : "");

/** SQL selecting (id, sk) of the requested page, plus one row to tell if more follow. */
function pageIdsSql(query: TeamListQuery, p: Params): string {
  const plan = query.plan as Extract<TeamListPlan, { kind: "query" }>;
  const col = sortColumn[query.sortBy];
  const dir = query.sortOrder === "asc" ? "ASC" : "DESC";
  const offset = query.after ? 0 : query.offset;
  const take = query.pageSize + 1;
  const branchSql = (branch: TeamBranch, limit: string) => {
    const source = branchSource(branch, p);
    const where = [...source.where, ...narrowing(query, p, true)];
    return `SELECT t.id, ${col} AS sk FROM ${source.from} ${whereClause(where)} ORDER BY ${col} ${dir}, t.id ${dir} ${limit}`;
  };
  if (plan.branches.length === 1) {
    return branchSql(plan.branches[0]!, `OFFSET ${offset} LIMIT ${take}`);
  }
  // Each branch contributes at most offset + take rows, read in index order.
  const union = plan.branches
    .map((b) => `(${branchSql(b, `LIMIT ${offset + take}`)})`)
    .join(" UNION ");
  return `SELECT id, sk FROM (${union}) u ORDER BY sk ${dir}, id ${dir} OFFSET ${offset} LIMIT ${take}`;
}

function countSql(query: TeamListQuery, p: Params): string {
  const plan = query.plan as Extract<TeamListPlan, { kind: "query" }>;
  const cap = query.totalCap + 1;
  const branches = plan.branches.map((branch) => {
    const source = branchSource(branch, p);
    return `SELECT t.id FROM ${source.from} ${whereClause([...source.where, ...narrowing(query, p, false)])}`;
  });
  const body = branches.length === 1 ? branches[0]! : branches.map((b) => `(${b})`).join(" UNION ");
  return `SELECT count(*)::int AS n FROM (${body} LIMIT ${cap}) c`;
}

interface PageRow {
  id: string;
  sk: Date | string;
  name: string;
  organization_id: string | null;
  organization_name: string | null;
  created_at: Date;
  always_free: boolean;
  last_payment_at: Date | null;
  members_count: number;
  keys_count: number;
  products: Array<{
    id: string;
    name: string;
    status: "ACTIVE" | "LAPSED";
    createdAt: string;
    renewalPeriodDays: number;
    lapsedAt: string | null;
  }>;
  blocked: boolean;
  spend_usd: string;
  spend_known: boolean;
}

export async function listTeams(pool: pg.Pool, query: TeamListQuery): Promise<TeamListResult> {
  const { plan } = query;
  if (plan.kind === "empty") {
    return { rows: [], lastSortValue: null, hasMore: false, total: 0, totalCapped: false };
  }
  if (plan.requireMembershipInOrganization) {
    const { organizationId, userId } = plan.requireMembershipInOrganization;
    const { rows } = await pool.query<{ ok: boolean }>(
      namedStatement(
        pool,
        `SELECT EXISTS (SELECT 1 FROM team_members m JOIN teams t ON t.id = m.team_id
                         WHERE m.user_id = $1::uuid AND t.organization_id = $2::uuid) AS ok`,
        [userId, organizationId],
      ),
    );
    if (!rows[0]?.ok) throw forbidden("You cannot list this organization's teams");
  }

  const dir = query.sortOrder === "asc" ? "ASC" : "DESC";
  const pageSql = (p: Params, total: string | null) => `
    WITH page AS (${pageIdsSql(query, p)})${total ? `, total AS (${total})` : ""}
    SELECT t.id, page.sk, t.name, t.organization_id, o.name AS organization_name, t.created_at,
           t.always_free, t.last_payment_at, t.spend_usd::text AS spend_usd, t.spend_known,
           (SELECT count(*) FROM team_members m WHERE m.team_id = t.id)::int AS members_count,
           (SELECT count(*) FROM api_keys k WHERE k.team_id = t.id)::int AS keys_count,
           COALESCE((SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'status', tp.status,
                                                       'createdAt', tp.created_at, 'lapsedAt', tp.lapsed_at,
                                                       'renewalPeriodDays', p.renewal_period_days)
                                     ORDER BY p.name, tp.created_at)
                       FROM team_products tp JOIN products p ON p.id = tp.product_id
                      WHERE tp.team_id = t.id AND tp.status IN ('ACTIVE', 'LAPSED')), '[]'::json) AS products,
           EXISTS (SELECT 1 FROM team_blocks b WHERE b.team_id = t.id) AS blocked
           ${total ? ", (SELECT n FROM total) AS total_n" : ""}
      FROM page JOIN teams t ON t.id = page.id
      LEFT JOIN organizations o ON o.id = t.organization_id
     ORDER BY page.sk ${dir}, page.id ${dir}`;
  const countParams = new Params();
  const count = countSql(query, countParams);
  const cache = totalsOf(pool);
  const key = totalKey(count, countParams.values);

  let page: pg.QueryResult<PageRow>;
  let n: number;
  if (!query.after && query.offset === 0 && !cache.held.has(key) && !cache.counting.has(key)) {
    // A first page whose total is not held: page and count in one statement (one round
    // trip fewer). An empty first page means a total of 0, so every answer has its count.
    const params = new Params();
    const text = pageSql(params, countSql(query, params));
    const combined = pool.query<PageRow & { total_n: number }>(
      namedStatement(pool, text, params.values),
    );
    const total = track(
      cache,
      key,
      query.totalCap,
      combined.then(({ rows }) => rows[0]?.total_n ?? 0),
    );
    total.catch(() => {}); // its error is the statement's, raised by `combined` below
    [page, n] = await Promise.all([combined, total]);
  } else {
    // An offset is inlined in the page SQL (a parameter would leave the planner guessing
    // how deep the page is): those texts are unbounded, so only offset-free pages are named.
    const pageInlinesOffset = !query.after && query.offset > 0;
    const params = new Params();
    const text = pageSql(params, null);
    [page, n] = await Promise.all([
      pool.query<PageRow>(
        pageInlinesOffset
          ? { text, values: params.values }
          : namedStatement(pool, text, params.values),
      ),
      cappedTotal(pool, count, countParams.values, query.totalCap, Date.now()),
    ]);
  }
  const hasMore = page.rows.length > query.pageSize;
  const rows = page.rows.slice(0, query.pageSize);
  const last = rows.at(-1);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      createdAt: r.created_at,
      alwaysFree: r.always_free,
      lastPaymentAt: r.last_payment_at,
      membersCount: r.members_count,
      keysCount: r.keys_count,
      activeProducts: r.products
        .filter((p) => p.status === "ACTIVE")
        .map((p) => ({ id: p.id, name: p.name })),
      renewals: r.products.map((p) => ({
        productId: p.id,
        name: p.name,
        status: p.status,
        createdAt: new Date(p.createdAt),
        renewalPeriodDays: p.renewalPeriodDays,
        lapsedAt: p.lapsedAt === null ? null : new Date(p.lapsedAt),
      })),
      blocked: r.blocked,
      spendUsd: r.spend_known ? Number(r.spend_usd) : null,
    })),
    lastSortValue: last
      ? last.sk instanceof Date
        ? last.sk.toISOString()
        : String(last.sk)
      : null,
    hasMore,
    total: Math.min(n, query.totalCap),
    totalCapped: n > query.totalCap,
  };
}
