/**
 * Row locks on a team a transaction takes before it checks and changes something, so that
 * the check still holds when it commits. Each returns the few columns its callers read
 * (null: no such row). Why each lock is needed is said where it is taken.
 */
import type { Prisma } from "../generated/prisma/client.ts";

export interface LockedTeam {
  id: string;
  name: string;
  organizationId: string | null;
}

/**
 * The team row FOR UPDATE: serialises with other changes of the team (keys.create checks
 * blocks, a merge checks "no active product" and a delete checks "no keys" under it).
 */
export async function lockTeam(
  tx: Prisma.TransactionClient,
  teamId: string,
): Promise<LockedTeam | null> {
  const [team] = await tx.$queryRaw<
    { id: string; name: string; organization_id: string | null }[]
  >`SELECT id, name, organization_id FROM teams WHERE id = ${teamId}::uuid FOR UPDATE`;
  return team ? { id: team.id, name: team.name, organizationId: team.organization_id } : null;
}

/**
 * lockTeam and then lockTeamMemberRole, in one statement (one round trip): the team row is
 * locked first (the member CTE waits on it through its EXISTS, an uncorrelated subquery
 * evaluated before the scan), then the membership. FOR UPDATE reads the membership as it is
 * once locked (a concurrent change committed meanwhile is seen; a removal leaves no row).
 * Counts read after these locks need a statement of their own: this one's snapshot predates
 * any wait on the locks.
 */
export async function lockTeamAndMember<Role extends string>(
  tx: Prisma.TransactionClient,
  teamId: string,
  userId: string,
): Promise<{ team: LockedTeam | null; role: Role | null }> {
  const [row] = await tx.$queryRaw<
    { id: string | null; name: string | null; organization_id: string | null; role: Role | null }[]
  >`WITH t AS MATERIALIZED (
           SELECT id, name, organization_id FROM teams WHERE id = ${teamId}::uuid FOR UPDATE),
         m AS MATERIALIZED (
           SELECT role::text AS role FROM team_members
            WHERE team_id = ${teamId}::uuid AND user_id = ${userId}::uuid
              AND EXISTS (SELECT 1 FROM t)
              FOR UPDATE)
    SELECT t.id::text AS id, t.name, t.organization_id::text AS organization_id,
           (SELECT role FROM m) AS role
      FROM (SELECT 1) AS one LEFT JOIN t ON true`;
  if (!row?.id) return { team: null, role: null };
  return {
    team: { id: row.id, name: row.name!, organizationId: row.organization_id },
    role: row.role,
  };
}

/** A team membership's role FOR UPDATE (a concurrent promotion waits for this change). */
export async function lockTeamMemberRole<Role extends string>(
  tx: Prisma.TransactionClient,
  teamId: string,
  userId: string,
): Promise<Role | null> {
  const [member] = await tx.$queryRaw<{ role: Role }[]>`
    SELECT role::text AS role FROM team_members
     WHERE team_id = ${teamId}::uuid AND user_id = ${userId}::uuid FOR UPDATE`;
  return member?.role ?? null;
}
