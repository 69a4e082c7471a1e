/**
 * One team as teams.get shows it, in one statement: the row, its organization, its first
 * members (with their names), its products, counts, blocks and the active products'
 * limits for core's effective entitlement, and its spend per region. Prisma's nested include plus the separate
 * counts took about nine sequential round trips per request; this is one.
 */
import {
  effectiveEntitlement,
  normalizeLegacyLimits,
  type TEntitlement,
  type TProductLimits,
  type TeamRole,
} from "@gatehouse/core";
import { namedStatement, type Database } from "../client.ts";
import type { RegionTeamSpend } from "../spend/index.ts";
import type { TeamBlockRow } from "./blocks.ts";

export interface TeamDetail {
  id: string;
  name: string;
  organization: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
  alwaysFree: boolean;
  /** The team's own key rotation policy (products may set a smaller one). */
  rotateEveryDays: number | null;
  lastPaymentAt: Date | null;
  membersCount: number;
  keysCount: number;
  /** Oldest first, at most `memberLimit` (the count above is not capped). */
  /** `source`: added by hand (MANUAL) or by a single sign-on group rule (SSO). */
  members: Array<{
    userId: string;
    email: string;
    name: string;
    role: TeamRole;
    source: "MANUAL" | "SSO";
    createdAt: Date;
    /** USD the member may spend inside the team (null: no budget of their own). */
    maxBudgetUsd: number | null;
  }>;
  /** Newest first, any status. */
  products: Array<{
    id: string;
    productId: string;
    name: string;
    status: "ACTIVE" | "CANCELLED" | "LAPSED";
    createdAt: Date;
    renewalPeriodDays: number;
    lapsedAt: Date | null;
  }>;
  /** Oldest first. */
  blocks: Array<TeamBlockRow>;
  entitlement: TEntitlement;
  /** The spend sync's latest reading per region (active regions, and others holding one), by name. */
  spend: RegionTeamSpend[];
}

interface DetailRow {
  id: string;
  name: string;
  organization_id: string | null;
  organization_name: string | null;
  created_at: Date;
  updated_at: Date;
  always_free: boolean;
  rotate_every_days: number | null;
  last_payment_at: Date | null;
  members_count: number;
  keys_count: number;
  members: Array<{
    userId: string;
    email: string;
    name: string;
    role: TeamRole;
    source: "MANUAL" | "SSO";
    createdAt: string;
    maxBudgetUsd: number | null;
  }>;
  products: Array<{
    id: string;
    productId: string;
    name: string;
    status: "ACTIVE" | "CANCELLED" | "LAPSED";
    createdAt: string;
    renewalPeriodDays: number;
    lapsedAt: string | null;
    limits: unknown;
  }>;
  blocks: Array<Omit<TeamBlockRow, "since"> & { since: string }>;
  spend: Array<{
    regionId: string;
    regionName: string;
    spendUsd: number | null;
    maxBudgetUsd: number | null;
    budgetResetAt: string | null;
    asOf: string | null;
    lastOutcome: string | null;
    lastError: string | null;
  }>;
}

// json_build_object writes timestamps as text; they are parsed back to Dates below.
const DETAIL_SQL = `
  SELECT t.id, t.name, t.organization_id, o.name AS organization_name, t.created_at, t.updated_at,
         t.always_free, t.rotate_every_days, t.last_payment_at,
         (SELECT count(*) FROM team_members m WHERE m.team_id = t.id)::int AS members_count,
         (SELECT count(*) FROM api_keys k WHERE k.team_id = t.id)::int AS keys_count,
         COALESCE((SELECT json_agg(json_build_object('userId', m.user_id, 'email', u.email, 'name', u.name,
                                                     'role', m.role, 'source', m.source,
                                                     'createdAt', m.created_at, 'maxBudgetUsd', m.max_budget_usd)
                                   ORDER BY m.created_at, m.user_id)
                     FROM (SELECT * FROM team_members WHERE team_id = t.id ORDER BY created_at, user_id LIMIT $2) m
                     JOIN users u ON u.id = m.user_id), '[]'::json) AS members,
         COALESCE((SELECT json_agg(json_build_object('id', tp.id, 'productId', tp.product_id, 'name', p.name,
                                                     'status', tp.status, 'createdAt', tp.created_at, 'limits', p.limits,
                                                     'renewalPeriodDays', p.renewal_period_days, 'lapsedAt', tp.lapsed_at)
                                   ORDER BY tp.created_at DESC, tp.id)
                     FROM team_products tp JOIN products p ON p.id = tp.product_id
                    WHERE tp.team_id = t.id), '[]'::json) AS products,
         COALESCE((SELECT json_agg(json_build_object('reason', b.reason, 'note', b.note, 'since', b.created_at,
                                                     'level', b.level, 'placedBy', COALESCE(bu.name, bs.name))
                                   ORDER BY b.created_at, b.reason)
                     FROM team_blocks b
                     LEFT JOIN users bu ON bu.id = b.placed_by_user_id
                     LEFT JOIN service_tokens bs ON bs.id = b.placed_by_service_token_id
                    WHERE b.team_id = t.id), '[]'::json) AS blocks,
         COALESCE((SELECT json_agg(json_build_object('regionId', r.id, 'regionName', r.name, 'spendUsd', s.spend_usd,
                                                     'maxBudgetUsd', s.max_budget_usd, 'budgetResetAt', s.budget_reset_at,
                                                     'asOf', s.as_of, 'lastOutcome', y.outcome, 'lastError', y.error)
                                   ORDER BY r.name)
                     FROM regions r
                     LEFT JOIN team_spend s ON s.region_id = r.id AND s.team_id = t.id
                     LEFT JOIN region_spend_syncs y ON y.region_id = r.id
                    WHERE r.is_active OR s.team_id IS NOT NULL), '[]'::json) AS spend
    FROM teams t LEFT JOIN organizations o ON o.id = t.organization_id
   WHERE t.id = $1::uuid`;

const dateOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** The team, or null when it does not exist. */
export async function loadTeamDetail(
  db: Pick<Database, "pool">,
  teamId: string,
  options: { memberLimit: number; defaultEntitlement: TProductLimits },
): Promise<TeamDetail | null> {
  const { rows } = await db.pool.query<DetailRow>(
    namedStatement(db.pool, DETAIL_SQL, [teamId, options.memberLimit]),
  );
  const row = rows[0];
  if (!row) return null;
  const active = row.products.filter((p) => p.status === "ACTIVE");
  return {
    id: row.id,
    name: row.name,
    organization:
      row.organization_id && row.organization_name
        ? { id: row.organization_id, name: row.organization_name }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    alwaysFree: row.always_free,
    rotateEveryDays: row.rotate_every_days,
    lastPaymentAt: row.last_payment_at,
    membersCount: row.members_count,
    keysCount: row.keys_count,
    members: row.members.map((m) => ({ ...m, createdAt: new Date(m.createdAt) })),
    products: row.products.map((p) => ({
      id: p.id,
      productId: p.productId,
      name: p.name,
      status: p.status,
      createdAt: new Date(p.createdAt),
      renewalPeriodDays: p.renewalPeriodDays,
      lapsedAt: dateOrNull(p.lapsedAt),
    })),
    blocks: row.blocks.map((b) => ({ ...b, since: new Date(b.since) })),
    spend: row.spend.map((r) => ({
      ...r,
      budgetResetAt: dateOrNull(r.budgetResetAt),
      asOf: dateOrNull(r.asOf),
    })),
    entitlement: effectiveEntitlement(
      active.map((p) => ({
        id: p.productId,
        name: p.name,
        limits: normalizeLegacyLimits(p.limits),
      })),
      options.defaultEntitlement,
    ),
  };
}
