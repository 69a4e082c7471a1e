/**
 * A team's members: roles can be changed and members removed when teams.get says the
 * caller may manage members; adding needs a user search the caller is allowed to run. A
 * member's budget inside the team (teams.setMemberBudget, enforced by LiteLLM across the
 * member's keys) is set in its cell: empty clears it.
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RemoveButton } from "@/components/cells.tsx";
import { column, dateColumn, personColumn } from "@/components/columns.tsx";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Input } from "@/components/ui/input.tsx";
import { InviteDialog, PendingInvitations } from "@/components/invitations.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { toastError } from "@/lib/errors.ts";
import { teamRoleLabel, teamRoleOptions } from "@/lib/format.ts";
import { type TeamDetail, type TeamMember, type TeamRole } from "../api/teams-queries.ts";
import { AddMemberDialog } from "./add-member-dialog.tsx";

function MemberBudgetCell({ teamId, member }: { teamId: string; member: TeamMember }) {
  const setBudget = useMutation(trpc.teams.setMemberBudget.mutationOptions());
  const queryClient = useQueryClient();
  const current = member.maxBudgetUsd === null ? "" : String(member.maxBudgetUsd);
  const save = (raw: string) => {
    const text = raw.trim();
    if (text === current) return;
    const value = text === "" ? null : Number(text);
    if (value !== null && !(Number.isFinite(value) && value >= 0)) {
      toast.error("A budget is a number of USD ≥ 0, or empty for none");
      return;
    }
    setBudget.mutate(
      { teamId, userId: member.userId, maxBudgetUsd: value },
      {
        onSuccess: () => {
          toast.success(
            value === null
              ? `${member.name} has no budget of their own`
              : `${member.name} may spend $${value} in this team`,
          );
          void queryClient.invalidateQueries({ queryKey: trpc.teams.get.pathKey() });
        },
        onError: toastError,
      },
    );
  };
  return (
    <Input
      key={current}
      defaultValue={current}
      inputMode="decimal"
      placeholder="None"
      disabled={setBudget.isPending}
      aria-label={`Budget of ${member.name} (USD)`}
      className="h-8 w-24"
      onBlur={(e) => save(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") save(e.currentTarget.value);
      }}
    />
  );
}

export function TeamMembersSection({ team }: { team: TeamDetail }) {
  const manage = team.permissions.manageMembers;
  const setRole = useMutation(trpc.teams.setMemberRole.mutationOptions());
  const remove = useMutation(trpc.teams.removeMember.mutationOptions());
  const removing = useConfirmTarget<TeamMember>();
  const organizationId = team.organization?.id ?? null;

  const columns: Array<DataTableColumn<TeamMember>> = [
    personColumn("Name", "sm:hidden"),
    column("email", "Email", (member) => member.email),
    column("role", "Role", (member) =>
      manage ? (
        <OptionSelect
          value={member.role}
          disabled={setRole.isPending}
          onValueChange={(role) =>
            setRole.mutate(
              { teamId: team.id, userId: member.userId, role: role as TeamRole },
              {
                onSuccess: () =>
                  toast.success(`${member.name} is now ${teamRoleLabel[role as TeamRole]}`),
                onError: toastError,
              },
            )
          }
          options={teamRoleOptions}
          className="h-8 w-32 sm:w-36"
          aria-label={`Role of ${member.name}`}
        />
      ) : (
        <Badge variant={member.role === "ADMIN" ? "default" : "secondary"}>
          {teamRoleLabel[member.role]}
        </Badge>
      ),
    ),
    column("budget", "Budget", (member) =>
      manage ? (
        <MemberBudgetCell teamId={team.id} member={member} />
      ) : member.maxBudgetUsd === null ? (
        <span className="text-muted-foreground">—</span>
      ) : (
        `$${member.maxBudgetUsd}`
      ),
    ),
    dateColumn("added", "Added"),
    ...(manage
      ? [
          actionsColumn<TeamMember>((member) => (
            <RemoveButton label="Remove" name={member.name} onClick={() => removing.ask(member)} />
          )),
        ]
      : []),
  ];

  return (
    <SectionCard
      id="members"
      title={
        <>
          Members <span className="font-normal text-muted-foreground">({team.membersCount})</span>
        </>
      }
      actions={
        manage ? (
          <div className="flex gap-2">
            <InviteDialog teamId={team.id} />
            <AddMemberDialog
              teamId={team.id}
              organizationId={organizationId}
              existing={team.members}
            />
          </div>
        ) : null
      }
    >
      <DataTable
        caption={`Members of ${team.name}`}
        columns={columns}
        data={team.members}
        getRowId={(m) => m.userId}
        isLoading={false}
        columnClassNames={{
          email: "hidden sm:table-cell",
          added: "hidden md:table-cell",
          budget: "hidden sm:table-cell",
        }}
        empty={<EmptyState title="No members yet" />}
      />
      {manage ? (
        <PendingInvitations
          scope={{ teamId: team.id }}
          caption={`Pending invitations to ${team.name}`}
        />
      ) : null}
      {team.members.length < team.membersCount ? (
        <p className="border-t px-4 py-2 text-xs text-muted-foreground">
          Showing the first {team.members.length} of {team.membersCount} members.
        </p>
      ) : null}
      <ConfirmAction
        state={removing}
        title="Remove member"
        description={(member) => (
          <p>
            Remove <strong>{member.name}</strong> ({member.email}) from <strong>{team.name}</strong>
            ? The keys they created here stop working on every region (“Owner left”) until they are
            added back or a key is transferred to another member.
          </p>
        )}
        confirmLabel="Remove"
        run={(member) => remove.mutateAsync({ teamId: team.id, userId: member.userId })}
        done={(member) => `${member.name} removed from the team`}
      />
    </SectionCard>
  );
}
