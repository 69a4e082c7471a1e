/** Users (system administrators): search, page, create and edit. URL holds search and page. */
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { column, dateColumn, dateTimeColumn, personColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { actionsColumn, PagedQueryTable } from "@/components/query-table.tsx";
import { ActiveBadge, RowButton } from "@/components/cells.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { usersQueryOptions, type User } from "../api/users-queries.ts";
import { UserFormDialog } from "./user-form-dialog.tsx";

const columns: Array<DataTableColumn<User>> = [
  personColumn("Name"),
  column("role", "Role", (user) =>
    user.isSystemAdmin ? <Badge>System admin</Badge> : <Badge variant="secondary">User</Badge>,
  ),
  column("status", "Status", (user) => <ActiveBadge active={user.isActive} />),
  dateTimeColumn("lastLogin", "Last sign-in", (user) => user.lastLoginAt),
  dateColumn(),
  actionsColumn((user) => (
    <UserFormDialog user={user} trigger={<RowButton label="Edit" name={user.name} />} />
  )),
];

export const UsersPage = withAccess(can.manageUsers, "user administration", UsersScreen);

function UsersScreen() {
  const search = useSearch({ from: "/_authed/users" });
  const navigate = useNavigate({ from: "/users" });
  const users = useQuery(usersQueryOptions(search));
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to Gatehouse."
        actions={<UserFormDialog trigger={<Button>New user</Button>} />}
      />
      <Card>
        <PagedQueryTable
          caption="Users"
          columns={columns}
          query={users}
          search={{
            id: "user-search",
            label: "Search users",
            placeholder: "Search by name or email",
            value: search.q,
            onChange: (q) => void navigate({ search: { q } }),
          }}
          pageLabel="users"
          onPage={(page) =>
            void navigate({ search: (prev) => ({ ...prev, page: page > 1 ? page : undefined }) })
          }
          columnClassNames={{
            lastLogin: "hidden md:table-cell",
            created: "hidden lg:table-cell",
            status: "hidden sm:table-cell",
          }}
          empty={<EmptyState title={search.q ? "No user matches this search" : "No users"} />}
        />
      </Card>
    </>
  );
}
