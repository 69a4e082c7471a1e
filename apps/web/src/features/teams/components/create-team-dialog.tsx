/** teams.create: admins anywhere (or without an organization), org admins inside theirs. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field, fieldAria } from "@/components/field.tsx";
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
import { useCreateTeam } from "../api/teams-queries.ts";

const NONE = "__none__";
const ZCreateTeam = z.object({
  name: z.string().trim().min(1, "Enter a name").max(200),
  organizationId: z.string(),
});
type CreateTeamForm = z.infer<typeof ZCreateTeam>;

export function CreateTeamDialog() {
  const access = useAccess();
  const [open, setOpen] = useState(false);
  const create = useCreateTeam();
  const navigate = useNavigate();
  const adminOrgs = access.organizations.filter((o) => o.role === "ORG_ADMIN");
  // Admins may create in any organization, not only those they belong to.
  const allOrgs = useQuery({
    ...trpc.orgs.list.queryOptions({ page: 1, pageSize: 100 }),
    enabled: open && access.isAdmin,
  });
  const orgOptions = access.isAdmin ? (allOrgs.data?.items ?? []) : adminOrgs;
  const form = useForm<CreateTeamForm>({
    resolver: zodResolver(ZCreateTeam),
    defaultValues: { name: "", organizationId: access.isAdmin ? NONE : (adminOrgs[0]?.id ?? NONE) },
  });
  const { errors } = form.formState;
  if (!access.isAdmin && adminOrgs.length === 0) return null;

  const onSubmit = form.handleSubmit((values) => {
    create.mutate(
      { name: values.name, organizationId: values.organizationId === NONE ? null : values.organizationId },
      {
        onSuccess: (team) => {
          toast.success(`Team “${team.name}” created`);
          setOpen(false);
          form.reset();
          void navigate({ to: "/teams/$teamId", params: { teamId: team.id } });
        },
      },
    );
  });
  const failure = create.error ? errorInfo(create.error) : null;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>New team</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New team</DialogTitle>
          <DialogDescription>Teams own API keys and members. The name does not need to be unique.</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <Field id="team-name" label="Name" error={errors.name?.message}>
            <Input {...fieldAria("team-name", errors.name?.message)} {...form.register("name")} autoFocus />
          </Field>
          <Field id="team-org" label="Organization">
            <Controller
              control={form.control}
              name="organizationId"
              render={({ field }) => (
                <Select value={field.value} onValueChange={field.onChange}>
                  <SelectTrigger id="team-org">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {access.isAdmin ? <SelectItem value={NONE}>No organization</SelectItem> : null}
                    {orgOptions.map((o) => (
                      <SelectItem key={o.id} value={o.id}>
                        {o.name}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              )}
            />
          </Field>
          {failure ? (
            <p role="alert" className="text-sm text-destructive">
              {failure.message}
              {failure.requestId ? <span className="block text-xs text-muted-foreground">Request ID: {failure.requestId}</span> : null}
            </p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create team"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
