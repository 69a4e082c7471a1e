/** teams.update's row change (its checks, jobs and audit are the API's). */
import type { Prisma, Team } from "../generated/prisma/client.ts";

/** The fields teams.update changes; an absent field is left as it is. */
export interface TeamPatch {
  name?: string;
  alwaysFree?: boolean;
  lastPaymentAt?: Date | null;
  /** Key rotation policy (null: none of the team's own). */
  rotateEveryDays?: number | null | undefined;
}

/** Applies `patch` to the team and returns the row as it is now. */
export async function updateTeamRow(
  tx: Prisma.TransactionClient,
  teamId: string,
  patch: TeamPatch,
): Promise<Team> {
  return tx.team.update({
    where: { id: teamId },
    data: {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.alwaysFree !== undefined ? { alwaysFree: patch.alwaysFree } : {}),
      ...(patch.lastPaymentAt !== undefined ? { lastPaymentAt: patch.lastPaymentAt } : {}),
      ...(patch.rotateEveryDays !== undefined ? { rotateEveryDays: patch.rotateEveryDays } : {}),
    },
  });
}
