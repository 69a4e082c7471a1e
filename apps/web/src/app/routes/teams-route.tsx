/** /teams: the teams feature's page, with the merge action composed in for admins. */
import { TeamsPage } from "@/features/teams/components/teams-page.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { MergeAction } from "../merge-action.tsx";

export function TeamsRoute(): React.JSX.Element {
  const access = useAccess();
  return <TeamsPage headerActions={can.mergeTeams(access) ? <MergeAction /> : null} />;
}
