/**
 * teams.delete's reads and row change, in the transaction that holds the team's lock (its
 * checks, jobs, ended-team record and audit are the API's).
 */
import type { Prisma } from "../generated/prisma/client.ts";

/** How many keys the team has, across all regions. */
export async function teamKeyCount(tx: Prisma.TransactionClient, teamId: string): Promise<number> {
  return tx.apiKey.count({ where: { teamId } });
}

/** How many members the team has. */
export async function teamMemberCount(
  tx: Prisma.TransactionClient,
  teamId: string,
): Promise<number> {
  return tx.teamMember.count({ where: { teamId } });
}

/** Deletes the team's row (its memberships, products and blocks go with it). */
export async function deleteTeamRow(tx: Prisma.TransactionClient, teamId: string): Promise<void> {
  await tx.team.delete({ where: { id: teamId } });
}
