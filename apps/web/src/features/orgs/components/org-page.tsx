/**
 * One organization's members. Admins and this organization's admins manage them:
 * add (any user for admins), make admin / member (orgs.addMember sets the role), remove.
 * users.list does not return the org role, so roles are not shown per row (API note).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { MoreHorizontalIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { NotAllowed } from "@/components/not-allowed.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Pagination } from "@/components/pagination.tsx";
import { SearchInput } from "@/components/search-input.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { toastError } from "@/lib/errors.ts";
import { formatDateTime } from "@/lib/format.ts";
import {
  orgDirectoryQueryOptions,
  orgMembersQueryOptions,
  useAddOrgMember,
  useRemoveOrgMember,
  type OrgMember,
} from "../api/orgs-queries.ts";
import { AddOrgMemberDialog } from "./add-org-member-dialog.tsx";

export function OrgPage(): React.JSX.Element {
  const { orgId } = useParams({ from: "/_authed/organizations/$orgId" });
  const access = useAccess();
  const manage = can.adminOrg(access, orgId);
  const directory = useQuery(orgDirectoryQueryOptions());
  const listed = directory.data?.items.find((o) => o.id === orgId);
  const mine = access.organizations.find((o) => o.id === orgId);
  const org = listed ?? (mine ? { ...mine, teamsCount: null, membersCount: null } : null);
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState<string | undefined>(undefined);
  const members = useQuery({
    ...orgMembersQueryOptions(orgId, page, search ?? ""),
    enabled: manage,
  });
  const addMember = useAddOrgMember();
  const removeMember = useRemoveOrgMember();
  const [removing, setRemoving] = useState<OrgMember | null>(null);

  if (!manage) {
    // Members of an organization see its teams, not its member list (users.list refuses them).
    return org ? (
      <>
        <PageHeader title={org.name} description="You are a member of this organization." />
        <Link
          to="/teams"
          search={{ org: orgId }}
          className={buttonVariants({ variant: "outline" })}
        >
          View its teams
        </Link>
      </>
    ) : (
      <NotAllowed what="this organization's members" />
    );
  }

  const setRole = (user: OrgMember, role: "ORG_ADMIN" | "MEMBER") =>
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
    {
      id: "name",
      header: "Member",
      cell: ({ row }) => (
        <div className="flex flex-col">
          <span className="font-medium">{row.original.name}</span>
          <span className="text-xs text-muted-foreground">{row.original.email}</span>
        </div>
      ),
    },
    {
      id: "status",
      header: "Status",
      cell: ({ row }) =>
        row.original.isActive ? (
          <Badge variant="success">Active</Badge>
        ) : (
          <Badge variant="destructive">Disabled</Badge>
        ),
    },
    {
      id: "lastLogin",
      header: "Last sign-in",
      cell: ({ row }) => formatDateTime(row.original.lastLoginAt),
    },
    {
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon" aria-label={`Actions for ${row.original.name}`}>
              <MoreHorizontalIcon aria-hidden="true" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuItem onSelect={() => setRole(row.original, "ORG_ADMIN")}>
              Make organization admin
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setRole(row.original, "MEMBER")}>
              Make member
            </DropdownMenuItem>
            <DropdownMenuSeparator />
            <DropdownMenuItem variant="destructive" onSelect={() => setRemoving(row.original)}>
              Remove from organization
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      ),
    },
  ];

  const data = members.data;
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
          org && org.teamsCount !== null ? (
            `${org.teamsCount} teams · ${org.membersCount} members`
          ) : (
            <code className="font-mono text-xs">{orgId}</code>
          )
        }
        actions={
          <Link
            to="/teams"
            search={{ org: orgId }}
            className={buttonVariants({ variant: "outline" })}
          >
            View teams
          </Link>
        }
      />
      <Card aria-labelledby="org-members-heading">
        <CardHeader>
          <CardTitle id="org-members-heading">Members</CardTitle>
          <AddOrgMemberDialog organizationId={orgId} />
        </CardHeader>
        <div className="border-b p-3">
          <SearchInput
            id="org-member-search"
            label="Search members"
            hideLabel
            placeholder="Search by name or email"
            value={search}
            onChange={(q) => {
              setSearch(q);
              setPage(1);
            }}
            className="max-w-sm"
          />
        </div>
        <DataTable
          caption="Organization members"
          columns={columns}
          data={data?.items}
          getRowId={(u) => u.id}
          isLoading={members.isPending}
          isRefetching={members.isPlaceholderData}
          error={members.error}
          onRetry={() => void members.refetch()}
          columnClassNames={{ lastLogin: "hidden md:table-cell", status: "hidden sm:table-cell" }}
          empty={<EmptyState title={search ? "No member matches" : "No members yet"} />}
        />
        {data && data.total > 0 ? (
          <Pagination
            label="members"
            page={data.page}
            totalPages={data.totalPages}
            total={data.total}
            pageSize={data.pageSize}
            hasNext={data.page < data.totalPages}
            onFirst={() => setPage(1)}
            onPrevious={data.page > 1 ? () => setPage(data.page - 1) : null}
            onNext={() => setPage(data.page + 1)}
          />
        ) : null}
      </Card>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title="Remove from organization"
        description={
          removing ? (
            <p>
              Remove <strong>{removing.name}</strong> from {org?.name ?? "this organization"}? Their
              team memberships stay.
            </p>
          ) : null
        }
        confirmLabel="Remove"
        busy={removeMember.isPending}
        onConfirm={() =>
          removing &&
          removeMember.mutate(
            { organizationId: orgId, userId: removing.id },
            {
              onSuccess: () => {
                toast.success(`${removing.name} removed`);
                setRemoving(null);
              },
              onError: toastError,
            },
          )
        }
      />
    </>
  );
}
