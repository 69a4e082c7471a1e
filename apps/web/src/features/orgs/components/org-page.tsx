/**
 * One organization (orgs.get: its name, counts and the caller's role) and its members.
 * Admins and this organization's admins manage them: add (any user for admins, by email
 * for org admins), make admin / member (orgs.addMember sets the role), remove.
 * users.list does not return the org role, so roles are not shown per row (API note).
 */
import type { OrgRole } from "@gatehouse/core";
import { trpc } from "@/lib/trpc.ts";
import { useQuery, useMutation } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { MoreHorizontalIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { OrgTeamsLink } from "@/components/org-teams-link.tsx";
import { ActiveBadge } from "@/components/cells.tsx";
import { column, dateTimeColumn, personColumn } from "@/components/columns.tsx";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { InviteDialog, PendingInvitations } from "@/components/invitations.tsx";
import { NotAllowed } from "@/components/not-allowed.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { actionsColumn, PagedQueryTable } from "@/components/query-table.tsx";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { toastError } from "@/lib/errors.ts";
import { orgMembersQueryOptions, orgQueryOptions, type OrgMember } from "../api/orgs-queries.ts";
import { AddOrgMemberDialog } from "./add-org-member-dialog.tsx";
import { AlertSettings } from "./alert-settings.tsx";
import { OrgSpendSummary } from "./org-spend-summary.tsx";
import { SsoEnforcement } from "./sso-enforcement.tsx";

export function OrgPage(): React.JSX.Element {
  const { orgId } = useParams({ from: "/_authed/organizations/$orgId" });
  const access = useAccess();
  const manage = can.adminOrg(access, orgId);
  const org = useQuery(orgQueryOptions(orgId)).data;
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState<string | undefined>(undefined);
  const members = useQuery({
    ...orgMembersQueryOptions(orgId, page, search ?? ""),
    enabled: manage,
  });
  const addMember = useMutation(trpc.orgs.addMember.mutationOptions());
  const removeMember = useMutation(trpc.orgs.removeMember.mutationOptions());
  const removing = useConfirmTarget<OrgMember>();
  const teamsLink = (label: string) => (
    <OrgTeamsLink orgId={orgId} className={buttonVariants({ variant: "outline" })}>
      {label}
    </OrgTeamsLink>
  );

  if (!manage) {
    // Members of an organization see its teams, not its member list (users.list refuses them).
    return org ? (
      <>
        <PageHeader title={org.name} description="You are a member of this organization." />
        <OrgSpendSummary orgId={orgId} />
        {teamsLink("View its teams")}
      </>
    ) : (
      <NotAllowed what="this organization's members" />
    );
  }

  const setRole = (user: OrgMember, role: OrgRole) =>
    addMember.mutate(
      { organizationId: orgId, userId: user.id, role },
      {
        onSuccess: () =>
          toast.success(
            `${user.name} is now ${role === "ORG_ADMIN" ? "an organization admin" : "a member"}`,
          ),
        onError: toastError,
      },
    );

  const columns: Array<DataTableColumn<OrgMember>> = [
    personColumn("Member"),
    column("status", "Status", (member) => <ActiveBadge active={member.isActive} />),
    // The last sign-in is a platform-wide fact the API shows to system admins only.
    ...(access.isAdmin
      ? [dateTimeColumn<OrgMember>("lastLogin", "Last sign-in", (member) => member.lastLoginAt)]
      : []),
    actionsColumn((member) => (
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${member.name}`}>
            <MoreHorizontalIcon aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setRole(member, "ORG_ADMIN")}>
            Make organization admin
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setRole(member, "MEMBER")}>
            Make member
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem
            variant="destructive"
            aria-haspopup="dialog"
            onSelect={() => removing.ask(member)}
          >
            Remove from organization
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    )),
  ];

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link to="/organizations" className="rounded hover:underline">
          Organizations
        </Link>{" "}
        / <span aria-current="page">{org?.name ?? "Organization"}</span>
      </nav>
      <PageHeader
        title={org?.name ?? "Organization"}
        description={
          org ? (
            `${org.teamsCount} teams · ${org.membersCount} members`
          ) : (
            <code className="font-mono text-xs">{orgId}</code>
          )
        }
        actions={
          <div className="flex gap-2">
            {teamsLink("View teams")}
            <Link
              to="/organizations/$orgId/webhooks"
              params={{ orgId }}
              className={buttonVariants({ variant: "outline" })}
            >
              Webhooks
            </Link>
          </div>
        }
      />
      <OrgSpendSummary orgId={orgId} />
      {org ? (
        <SsoEnforcement
          organizationId={orgId}
          organizationName={org.name}
          enforced={org.ssoEnforced}
        />
      ) : null}
      <AlertSettings organizationId={orgId} />
      <SectionCard
        id="org-members"
        title="Members"
        actions={
          <div className="flex gap-2">
            <InviteDialog organizationId={orgId} />
            <AddOrgMemberDialog organizationId={orgId} />
          </div>
        }
      >
        <PagedQueryTable
          caption="Organization members"
          columns={columns}
          query={members}
          search={{
            id: "org-member-search",
            placeholder: "Search by name or email",
            value: search,
            onChange: (q) => {
              setSearch(q);
              setPage(1);
            },
          }}
          pageLabel="members"
          onPage={setPage}
          columnClassNames={{ lastLogin: "hidden md:table-cell", status: "hidden sm:table-cell" }}
          empty={<EmptyState title={search ? "No member matches" : "No members yet"} />}
        />
        <PendingInvitations
          scope={{ organizationId: orgId }}
          caption="Pending invitations to this organization"
        />
      </SectionCard>
      <ConfirmAction
        state={removing}
        title="Remove from organization"
        description={(member) => (
          <p>
            Remove <strong>{member.name}</strong> from {org?.name ?? "this organization"}? Their
            team memberships stay.
          </p>
        )}
        confirmLabel="Remove"
        run={(member) => removeMember.mutateAsync({ organizationId: orgId, userId: member.id })}
        done={(member) => `${member.name} removed`}
      />
    </>
  );
}
