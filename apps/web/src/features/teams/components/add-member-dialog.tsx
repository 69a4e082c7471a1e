/**
 * Adds a user to a team with a role. Those who may list users pick them with a server-side
 * search (users.list); a team admin types their email (users.lookup).
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { MemberFormDialog } from "@/components/member-form-dialog.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { teamRoleLabel, teamRoleOptions } from "@/lib/format.ts";
import { type TeamMember } from "../api/teams-queries.ts";

export function AddMemberDialog({
  teamId,
  organizationId,
  existing,
}: {
  teamId: string;
  organizationId: string | null;
  existing: TeamMember[];
}) {
  const access = useAccess();
  const searching = can.listUsersOf(access, organizationId);
  const add = useMutation(trpc.teams.addMember.mutationOptions());
  return (
    <MemberFormDialog
      id="member"
      title="Add member"
      description={
        !searching
          ? "Enter the email of someone in this team's organization."
          : access.isAdmin
            ? "Search all users by name or email."
            : "Search the members of this team's organization."
      }
      searching={searching}
      organizationId={access.isAdmin ? null : organizationId}
      memberIds={new Set(existing.map((m) => m.userId))}
      roles={teamRoleOptions}
      defaultRole="MEMBER"
      add={(userId, role) => add.mutateAsync({ teamId, userId, role })}
      added={(name, role) => `${name} added as ${teamRoleLabel[role]}`}
    />
  );
}
