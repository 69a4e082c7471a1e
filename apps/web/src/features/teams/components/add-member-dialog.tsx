/** Adds a user to a team: pick them with a server-side search (users.list), pick a role. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Field } from "@/components/field.tsx";
import { SearchPicker } from "@/components/search-picker.tsx";
import { Button } from "@/components/ui/button.tsx";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog.tsx";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select.tsx";
import { useAccess } from "@/lib/access.ts";
import { errorInfo } from "@/lib/errors.ts";
import { teamRoleLabel } from "@/lib/format.ts";
import { trpc } from "@/lib/trpc.ts";
import { useDebouncedValue } from "@/lib/use-debounced-value.ts";
import { useAddTeamMember, type TeamMember, type TeamRole } from "../api/teams-queries.ts";

const roles: TeamRole[] = ["ADMIN", "KEY_CREATOR", "MEMBER", "READ_ONLY"];

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
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const [user, setUser] = useState<{ id: string; label: string } | null>(null);
  const [role, setRole] = useState<TeamRole>("MEMBER");
  const add = useAddTeamMember();
  const debounced = useDebouncedValue(search.trim());
  // Org admins may only search their organization's members; admins search everyone.
  const scope = access.isAdmin ? {} : organizationId ? { organizationId } : {};
  const users = useQuery({
    ...trpc.users.list.queryOptions({ page: 1, pageSize: 20, ...scope, ...(debounced ? { search: debounced } : {}) }),
    enabled: open,
  });
  const memberIds = new Set(existing.map((m) => m.userId));
  const items = (users.data?.items ?? []).map((u) => ({
    value: u.id,
    label: u.name,
    description: memberIds.has(u.id) ? `${u.email} · already a member` : u.email,
    disabled: memberIds.has(u.id) || !u.isActive,
  }));
  const failure = add.error ? errorInfo(add.error) : null;

  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setUser(null);
      setSearch("");
      setRole("MEMBER");
      add.reset();
    }
  };

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogTrigger asChild>
        <Button size="sm">Add member</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add member</DialogTitle>
          <DialogDescription>
            {access.isAdmin ? "Search all users by name or email." : "Search the members of this team's organization."}
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!user) return;
            add.mutate(
              { teamId, userId: user.id, role },
              {
                onSuccess: () => {
                  toast.success(`${user.label} added as ${teamRoleLabel[role]}`);
                  close(false);
                },
              },
            );
          }}
        >
          <Field id="member-user" label="User">
            <SearchPicker
              id="member-user"
              value={user?.id ?? null}
              selectedLabel={user?.label ?? null}
              onChange={(id, item) => setUser({ id, label: item.label })}
              items={items}
              search={search}
              onSearchChange={setSearch}
              isLoading={users.isLoading}
              error={users.error ? errorInfo(users.error).message : null}
              placeholder="Choose a user"
              searchPlaceholder="Name or email…"
              emptyText="No user matches."
            />
          </Field>
          <Field id="member-role" label="Role">
            <Select value={role} onValueChange={(value) => setRole(value as TeamRole)}>
              <SelectTrigger id="member-role">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {roles.map((r) => (
                  <SelectItem key={r} value={r}>
                    {teamRoleLabel[r]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </Field>
          {failure ? (
            <p role="alert" className="text-sm text-destructive">
              {failure.message}
              {failure.requestId ? <span className="block text-xs text-muted-foreground">Request ID: {failure.requestId}</span> : null}
            </p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!user || add.isPending}>
              {add.isPending ? "Adding…" : "Add member"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
