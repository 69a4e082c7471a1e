/** teams.list's page for the API, which holds the Database (list.ts takes the pool). */
import type { Database } from "../client.ts";
import { listTeams, type TeamListQuery, type TeamListResult } from "./list.ts";

export function listTeamsPage(
  db: Pick<Database, "pool">,
  query: TeamListQuery,
): Promise<TeamListResult> {
  return listTeams(db.pool, query);
}
