/**
 * /teams/$teamId: the team page plus, for admins, "Merge another team into this one".
 * If this team is merged away (it was the source), follow to the target.
 */
import { useNavigate, useParams } from "@tanstack/react-router";
import { TeamPage } from "@/features/teams/components/team-page.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { MergeAction } from "../merge-action.tsx";

export function TeamRoute(): React.JSX.Element {
  const { teamId } = useParams({ from: "/_authed/teams/$teamId" });
  const access = useAccess();
  const navigate = useNavigate();
  return (
    <TeamPage
      teamId={teamId}
      renderActions={(team) =>
        can.mergeTeams(access) ? (
          <MergeAction
            label="Merge a team into this one"
            initialTarget={{
              id: team.id,
              name: team.name,
              organizationName: team.organization?.name ?? null,
            }}
            onMerged={({ sourceTeamId, targetTeamId }) => {
              if (sourceTeamId === teamId)
                void navigate({ to: "/teams/$teamId", params: { teamId: targetTeamId } });
            }}
          />
        ) : null
      }
    />
  );
}
