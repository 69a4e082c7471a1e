/**
 * What a region's proxy must enforce for a team: its effective entitlement (core decides
 * from its active products) and its block reasons, for one team (the worker's pushes) or
 * a page of them (reconciliation).
 */
import {
  blockState,
  effectiveEntitlement,
  normalizeLegacyLimits,
  type TeamBlockReason,
  type TEntitlement,
  type TProductLimits,
} from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { poolOf, type PoolSource } from "../pool-source.ts";

type Reader = Pick<PrismaClient, "teamProduct"> | Pick<Prisma.TransactionClient, "teamProduct">;

/** The team's entitlement from its active products (or the defaults when it has none). */
export async function loadTeamEntitlement(
  db: Reader,
  teamId: string,
  defaults: TProductLimits,
): Promise<TEntitlement> {
  const active = await db.teamProduct.findMany({
    where: { teamId, status: "ACTIVE" },
    select: { product: { select: { id: true, name: true, limits: true } } },
  });
  return effectiveEntitlement(
    active.map((a) => ({
      id: a.product.id,
      name: a.product.name,
      limits: normalizeLegacyLimits(a.product.limits),
    })),
    defaults,
  );
}

/**
 * The team's current entitlement, or null when the team no longer exists (a job's handler
 * reads it when it runs, so jobs of several quick changes converge).
 */
export async function teamEntitlementIfExists(
  db: Pick<Database, "prisma">,
  teamId: string,
  defaults: TProductLimits,
): Promise<TEntitlement | null> {
  const exists = await db.prisma.team.findUnique({ where: { id: teamId }, select: { id: true } });
  return exists ? loadTeamEntitlement(db.prisma, teamId, defaults) : null;
}

/** The team's current name, or null when it no longer exists. */
export async function teamNameIfExists(
  db: Pick<Database, "prisma">,
  teamId: string,
): Promise<string | null> {
  const team = await db.prisma.team.findUnique({ where: { id: teamId }, select: { name: true } });
  return team?.name ?? null;
}

/** What a region's proxy must enforce for one team: its entitlement and block reasons. */
export interface TeamEnforcement {
  name: string;
  entitlement: TEntitlement;
  blockReasons: TeamBlockReason[];
}

/**
 * Entitlement and block reasons of many teams in one statement (reconciliation compares a
 * page of teams at a time); teams that do not exist are absent from the map.
 */
export async function teamsEnforcement(
  source: PoolSource,
  teamIds: readonly string[],
  defaults: TProductLimits,
): Promise<Map<string, TeamEnforcement>> {
  const pool = poolOf(source);
  if (teamIds.length === 0) return new Map();
  const { rows } = await pool.query<{
    id: string;
    name: string;
    products: Array<{ id: string; name: string; limits: unknown }>;
    reasons: TeamBlockReason[];
  }>(
    `SELECT t.id::text, t.name,
            COALESCE((SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'limits', p.limits))
                        FROM team_products tp JOIN products p ON p.id = tp.product_id
                       WHERE tp.team_id = t.id AND tp.status = 'ACTIVE'), '[]'::json) AS products,
            ARRAY(SELECT reason::text FROM team_blocks b WHERE b.team_id = t.id ORDER BY reason) AS reasons
       FROM teams t WHERE t.id = ANY($1::uuid[])`,
    [teamIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        name: r.name,
        entitlement: effectiveEntitlement(
          r.products.map((p) => ({
            id: p.id,
            name: p.name,
            limits: normalizeLegacyLimits(p.limits),
          })),
          defaults,
        ),
        blockReasons: blockState(r.reasons).reasons,
      },
    ]),
  );
}
