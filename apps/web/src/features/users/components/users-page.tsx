/**
 * Users (system administrators): search, page, create, edit, and force a password reset
 * (sessions end, the password stops working, a reset mail goes out). URL holds search and
 * page.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { column, dateColumn, dateTimeColumn, personColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { ActiveBadge, RowButton } from "@/components/cells.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { can } from "@/lib/access.ts";
import { trpc } from "@/lib/trpc.ts";
import { useUrlList } from "@/lib/url-list.ts";
import { usersQueryOptions, type User } from "../api/users-queries.ts";
import { UserFormDialog } from "./user-form-dialog.tsx";

const baseColumns: Array<DataTableColumn<User>> = [
  personColumn("Name"),
  column("role", "Role", (user) =>
    user.isSystemAdmin ? <Badge>System admin</Badge> : <Badge variant="secondary">User</Badge>,
  ),
  column("status", "Status", (user) => <ActiveBadge active={user.isActive} />),
  dateTimeColumn("lastLogin", "Last sign-in", (user) => user.lastLoginAt),
  dateColumn(),
];

export const UsersPage = withAccess(can.manageUsers, "user administration", UsersScreen);

function UsersScreen() {
  const list = useUrlList();
  const users = useQuery(usersQueryOptions(list.search));
  const forceReset = useMutation(trpc.users.forcePasswordReset.mutationOptions());
  const forcing = useConfirmTarget<User>();
  const columns: Array<DataTableColumn<User>> = [
    ...baseColumns,
    actionsColumn((user) => (
      <div className="flex justify-end gap-1">
        <UserFormDialog user={user} trigger={<RowButton label="Edit" name={user.name} />} />
        <RowButton
          label="Force password reset"
          name={user.name}
          aria-haspopup="dialog"
          onClick={() => forcing.ask(user)}
        />
      </div>
    )),
  ];
  return (
    <>
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
      <ConfirmAction
        state={forcing}
        title="Force password reset"
        description={(user) => (
          <p>
            End every session of <strong>{user.name}</strong> ({user.email}) and stop their password
            now? They get an email with a link to set a new one.
          </p>
        )}
        confirmLabel="Force reset"
        destructive
        run={(user) => forceReset.mutateAsync({ userId: user.id })}
        done={(user) => `${user.name} must set a new password; the reset email is on its way`}
      />
    </>
  );
}
