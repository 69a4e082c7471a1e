/**
 * Teams that no longer exist: what the billing report needs to name a deleted or merged-away
 * team whose spend points outlive it (team_spend_daily has no foreign key to teams). Written
 * in the transaction that deletes the team, so the record exists exactly when the team is
 * gone; the audit event of the same transaction says who ended it.
 */
import type { Prisma } from "../generated/prisma/client.ts";

export type TeamEnding = { fate: "deleted" } | { fate: "merged"; mergedIntoTeamId: string };

export async function recordEndedTeam(
  tx: Pick<Prisma.TransactionClient, "$executeRaw">,
  team: { id: string; name: string; organizationId: string | null },
  ending: TeamEnding,
  endedAt: Date,
): Promise<void> {
  const mergedInto = ending.fate === "merged" ? ending.mergedIntoTeamId : null;
  await tx.$executeRaw`
    INSERT INTO ended_teams (team_id, name, organization_id, fate, merged_into_team_id, ended_at)
    VALUES (${team.id}::uuid, ${team.name}, ${team.organizationId}::uuid, ${ending.fate},
            ${mergedInto}::uuid, ${endedAt})
    ON CONFLICT (team_id) DO NOTHING`;
}
