/** Users (system administrators): search, page, create and edit. URL holds search and page. */
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { DataTable, type DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Pagination } from "@/components/pagination.tsx";
import { RequireAccess } from "@/components/require-access.tsx";
import { SearchInput } from "@/components/search-input.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { formatDate, formatDateTime } from "@/lib/format.ts";
import { usersQueryOptions, type User } from "../api/users-queries.ts";
import { UserFormDialog } from "./user-form-dialog.tsx";

const columns: Array<DataTableColumn<User>> = [
  {
    id: "name",
    header: "Name",
    cell: ({ row }) => (
      <div className="flex flex-col">
        <span className="font-medium">{row.original.name}</span>
        <span className="text-xs text-muted-foreground">{row.original.email}</span>
      </div>
    ),
  },
  {
    id: "role",
    header: "Role",
    cell: ({ row }) => (row.original.isSystemAdmin ? <Badge>System admin</Badge> : <Badge variant="secondary">User</Badge>),
  },
  {
    id: "status",
    header: "Status",
    cell: ({ row }) => (row.original.isActive ? <Badge variant="success">Active</Badge> : <Badge variant="destructive">Disabled</Badge>),
  },
  { id: "lastLogin", header: "Last sign-in", cell: ({ row }) => formatDateTime(row.original.lastLoginAt) },
  { id: "created", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
  {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row }) => (
      <UserFormDialog
        user={row.original}
        trigger={
          <Button variant="ghost" size="sm">
            Edit<span className="sr-only"> {row.original.name}</span>
          </Button>
        }
      />
    ),
  },
];

export function UsersPage(): React.JSX.Element {
  return (
    <RequireAccess allow={can.manageUsers} what="user administration">
      <UsersScreen />
    </RequireAccess>
  );
}

function UsersScreen() {
  const search = useSearch({ from: "/_authed/users" });
  const navigate = useNavigate({ from: "/users" });
  const users = useQuery(usersQueryOptions(search));

  const data = users.data;
  return (
    <>
      <PageHeader title="Users" description="Everyone who can sign in to Gatehouse." actions={<UserFormDialog trigger={<Button>New user</Button>} />} />
      <Card>
        <div className="border-b p-3">
          <SearchInput
            id="user-search"
            label="Search users"
            hideLabel
            placeholder="Search by name or email"
            value={search.q}
            onChange={(q) => void navigate({ search: { q } })}
            className="max-w-sm"
          />
        </div>
        <DataTable
          caption="Users"
          columns={columns}
          data={data?.items}
          getRowId={(u) => u.id}
          isLoading={users.isPending}
          isRefetching={users.isPlaceholderData}
          error={users.error}
          onRetry={() => void users.refetch()}
          columnClassNames={{ lastLogin: "hidden md:table-cell", created: "hidden lg:table-cell", status: "hidden sm:table-cell" }}
          empty={<EmptyState title={search.q ? "No user matches this search" : "No users"} />}
        />
        {data && data.total > 0 ? (
          <Pagination
            label="users"
            page={data.page}
            totalPages={data.totalPages}
            total={data.total}
            pageSize={data.pageSize}
            hasNext={data.page < data.totalPages}
            onFirst={() => void navigate({ search: (prev) => ({ ...prev, page: undefined }) })}
            onPrevious={data.page > 1 ? () => void navigate({ search: (prev) => ({ ...prev, page: data.page - 1 }) }) : null}
            onNext={() => void navigate({ search: (prev) => ({ ...prev, page: data.page + 1 }) })}
          />
        ) : null}
      </Card>
    </>
  );
}
