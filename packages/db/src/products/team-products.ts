/**
 * A team's products (team_products rows): attached ACTIVE, LAPSED when a period ends unpaid,
 * CANCELLED when detached or replaced. The callers hold the team's lock.
 */
import type { TeamProduct } from "../generated/prisma/client.ts";
import type { Tx } from "../transaction.ts";

export async function hasActiveTeamProduct(
  tx: Tx,
  teamId: string,
  productId: string,
): Promise<boolean> {
  const active = await tx.teamProduct.findFirst({
    where: { teamId, productId, status: "ACTIVE" },
  });
  return active !== null;
}

/**
 * Ends (CANCELLED) a lapsed attachment of the product, so a later payment cannot renew it
 * beside a new one.
 */
export async function cancelLapsedTeamProducts(
  tx: Tx,
  teamId: string,
  productId: string,
  now: Date,
): Promise<void> {
  await tx.teamProduct.updateMany({
    where: { teamId, productId, status: "LAPSED" },
    data: { status: "CANCELLED", cancelledAt: now },
  });
}

/** When the team last paid (its renewal periods start there). */
export async function teamLastPaymentAt(tx: Tx, teamId: string): Promise<Date | null> {
  const team = await tx.team.findUniqueOrThrow({
    where: { id: teamId },
    select: { lastPaymentAt: true },
  });
  return team.lastPaymentAt;
}

export function insertTeamProduct(
  tx: Tx,
  row: { teamId: string; productId: string; createdAt: Date; periodStart: Date },
): Promise<TeamProduct> {
  return tx.teamProduct.create({ data: row });
}

/**
 * The attachment a detach ends: the newest ACTIVE or LAPSED one (a lapsed one would renew
 * with the next payment), with the team's organization.
 */
export async function findDetachableTeamProduct(
  tx: Tx,
  teamId: string,
  productId: string,
): Promise<{ id: string; organizationId: string | null } | null> {
  const active = await tx.teamProduct.findFirst({
    where: { teamId, productId, status: { in: ["ACTIVE", "LAPSED"] } },
    orderBy: { createdAt: "desc" },
    include: { team: { select: { organizationId: true } } },
  });
  return active ? { id: active.id, organizationId: active.team.organizationId } : null;
}

export function cancelTeamProduct(tx: Tx, teamProductId: string, now: Date): Promise<TeamProduct> {
  return tx.teamProduct.update({
    where: { id: teamProductId },
    data: { status: "CANCELLED", cancelledAt: now },
  });
}
