/** Adds a user to an organization with a role. Admins search all users; others enter an id. */
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
import { Input } from "@/components/ui/input.tsx";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select.tsx";
import { useAccess } from "@/lib/access.ts";
import { errorInfo } from "@/lib/errors.ts";
import { trpc } from "@/lib/trpc.ts";
import { useDebouncedValue } from "@/lib/use-debounced-value.ts";
import { useAddOrgMember } from "../api/orgs-queries.ts";

export function AddOrgMemberDialog({ organizationId }: { organizationId: string }) {
  const access = useAccess();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const [user, setUser] = useState<{ id: string; label: string } | null>(null);
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState<"ORG_ADMIN" | "MEMBER">("MEMBER");
  const add = useAddOrgMember();
  const debounced = useDebouncedValue(search.trim());
  // Only system admins may search every user; an org admin can list only their own members.
  const users = useQuery({
    ...trpc.users.list.queryOptions({ page: 1, pageSize: 20, ...(debounced ? { search: debounced } : {}) }),
    enabled: open && access.isAdmin,
  });
  const chosenId = access.isAdmin ? (user?.id ?? null) : userId.trim() || null;
  const failure = add.error ? errorInfo(add.error) : null;

  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setUser(null);
      setUserId("");
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
          <DialogTitle>Add organization member</DialogTitle>
          <DialogDescription>Adding someone who is already a member changes their role.</DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!chosenId) return;
            add.mutate(
              { organizationId, userId: chosenId, role },
              {
                onSuccess: () => {
                  toast.success("Member saved");
                  close(false);
                },
              },
            );
          }}
        >
          {access.isAdmin ? (
            <Field id="org-member-user" label="User">
              <SearchPicker
                id="org-member-user"
                value={user?.id ?? null}
                selectedLabel={user?.label ?? null}
                onChange={(id, item) => setUser({ id, label: item.label })}
                items={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name, description: u.email, disabled: !u.isActive }))}
                search={search}
                onSearchChange={setSearch}
                isLoading={users.isLoading}
                error={users.error ? errorInfo(users.error).message : null}
                placeholder="Choose a user"
                searchPlaceholder="Name or email…"
              />
            </Field>
          ) : (
            <Field id="org-member-id" label="User id" hint="Ask a system administrator for the user's id.">
              <Input id="org-member-id" value={userId} onChange={(e) => setUserId(e.target.value)} aria-describedby="org-member-id-hint" />
            </Field>
          )}
          <Field id="org-member-role" label="Role">
            <Select value={role} onValueChange={(value) => setRole(value as "ORG_ADMIN" | "MEMBER")}>
              <SelectTrigger id="org-member-role">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="MEMBER">Member</SelectItem>
                <SelectItem value="ORG_ADMIN">Organization admin</SelectItem>
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
            <Button type="submit" disabled={!chosenId || add.isPending}>
              {add.isPending ? "Saving…" : "Add member"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
