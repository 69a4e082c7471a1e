/** Users (system administrators): search, page, create and edit. URL holds search and page. */
import { useQuery } from "@tanstack/react-query";
import { column, dateColumn, dateTimeColumn, personColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { ActiveBadge, RowButton } from "@/components/cells.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { can } from "@/lib/access.ts";
import { useUrlList } from "@/lib/url-list.ts";
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
  const list = useUrlList();
  const users = useQuery(usersQueryOptions(list.search));
  return (
    <ListPage
      title="Users"
      description="Everyone who can sign in to Gatehouse."
      actions={<UserFormDialog trigger={<Button>New user</Button>} />}
      search={{ id: "user-search", placeholder: "Search by name or email", ...list.searchBox }}
      columns={columns}
      query={users}
      pageLabel="users"
      onPage={list.onPage}
      columnClassNames={{
        lastLogin: "hidden md:table-cell",
        created: "hidden lg:table-cell",
        status: "hidden sm:table-cell",
      }}
      empty={<EmptyState title={list.search.q ? "No user matches this search" : "No users"} />}
    />
  );
}
