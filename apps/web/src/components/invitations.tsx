/**
 * Inviting people by email (invitations.create) and the pending invitations of an
 * organization or a team (invitations.list, resend, revoke): shared by the organization
 * page (its admins: organization roles, any team) and a team's members panel (its admins:
 * team roles). The API decides what the caller may grant; the form offers only that.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { ZEmail, ZOrgRole, ZTeamRole } from "@gatehouse/core";
import { Field, TextField } from "@/components/field.tsx";
import { FormDialog } from "@/components/form-dialog.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { SimpleTable } from "@/components/simple-table.tsx";
import { Button } from "@/components/ui/button.tsx";
import { TableCell, TableHead, TableRow } from "@/components/ui/table.tsx";
import { toastError } from "@/lib/errors.ts";
import { formatDateTime, teamRoleOptions } from "@/lib/format.ts";
import { registerField, useFormDialog } from "@/lib/forms.ts";
import { trpc, type RouterOutputs } from "@/lib/trpc.ts";

export type Invitation = RouterOutputs["invitations"]["list"]["items"][number];

const orgRoleOptions = [
  { value: "MEMBER", label: "Member" },
  { value: "ORG_ADMIN", label: "Organization admin" },
] as const;

const ZInviteForm = z.object({
  email: ZEmail,
  orgRole: ZOrgRole,
  teamRole: ZTeamRole,
});
type InviteForm = z.input<typeof ZInviteForm>;

/**
 * "Invite" for an organization (`organizationId`: an organization role) or a team
 * (`teamId`: a team role; the person also joins the team's organization as a member).
 */
export function InviteDialog(
  props: { organizationId: string; teamId?: never } | { teamId: string; organizationId?: never },
) {
  const create = useMutation(trpc.invitations.create.mutationOptions());
  const initial = (): InviteForm => ({ email: "", orgRole: "MEMBER", teamRole: "MEMBER" });
  const form = useForm<InviteForm, unknown, z.output<typeof ZInviteForm>>({
    resolver: zodResolver(ZInviteForm),
    defaultValues: initial(),
  });
  const dialog = useFormDialog(form, { initial });
  const id = props.teamId ? "team-invite" : "org-invite";
  return (
    <FormDialog
      state={dialog}
      trigger={<Button variant="outline">Invite by email</Button>}
      title="Invite by email"
      description="They get an email with a link that works once, for 7 days; opening it creates their account."
      onSubmit={form.handleSubmit((values) =>
        create.mutate(
          props.teamId
            ? { email: values.email, teamId: props.teamId, teamRole: values.teamRole }
            : {
                email: values.email,
                organizationId: props.organizationId,
                orgRole: values.orgRole,
              },
          {
            onSuccess: (invitation) => {
              toast.success(`Invitation sent to ${invitation.email}`);
              dialog.close();
            },
            onError: dialog.onError,
          },
        ),
      )}
      submitLabel="Send invitation"
      pendingLabel="Sending…"
      pending={create.isPending}
    >
      <TextField
        id={`${id}-email`}
        label="Email"
        type="email"
        autoComplete="off"
        autoFocus
        {...registerField(form, "email")}
      />
      {props.teamId ? (
        <Field id={`${id}-team-role`} label="Team role">
          <OptionSelect
            id={`${id}-team-role`}
            control={form.control}
            name="teamRole"
            options={teamRoleOptions}
          />
        </Field>
      ) : (
        <Field id={`${id}-org-role`} label="Organization role">
          <OptionSelect
            id={`${id}-org-role`}
            control={form.control}
            name="orgRole"
            options={orgRoleOptions}
          />
        </Field>
      )}
    </FormDialog>
  );
}

/** The pending invitations of an organization or a team, with resend and revoke. */
export function PendingInvitations({
  scope,
  caption,
}: {
  scope: { organizationId: string } | { teamId: string };
  caption: string;
}) {
  const list = useQuery(trpc.invitations.list.queryOptions({ ...scope, limit: 50 }));
  const resend = useMutation(trpc.invitations.resend.mutationOptions());
  const revoke = useMutation(trpc.invitations.revoke.mutationOptions());
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <div className="border-t">
      <SimpleTable
        aria-label={caption}
        head={
          <>
            <TableHead>Invited email</TableHead>
            <TableHead className="hidden sm:table-cell">Role</TableHead>
            <TableHead className="hidden md:table-cell">Expires</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </>
        }
      >
        {items.map((invitation) => (
          <TableRow key={invitation.id}>
            <TableCell>
              {invitation.email}
              {invitation.status === "expired" ? (
                <span className="ml-2 text-xs text-muted-foreground">(expired)</span>
              ) : null}
            </TableCell>
            <TableCell className="hidden sm:table-cell">
              {[invitation.team?.name, invitation.teamRole ?? invitation.orgRole]
                .filter(Boolean)
                .join(" · ")}
            </TableCell>
            <TableCell className="hidden md:table-cell">
              {formatDateTime(invitation.expiresAt)}
            </TableCell>
            <TableCell className="text-right">
              <Button
                variant="ghost"
                size="sm"
                disabled={resend.isPending}
                aria-label={`Resend the invitation to ${invitation.email}`}
                onClick={() =>
                  resend.mutate(
                    { invitationId: invitation.id },
                    {
                      onSuccess: () =>
                        toast.success(`Invitation sent again to ${invitation.email}`),
                      onError: toastError,
                    },
                  )
                }
              >
                Resend
              </Button>
              <Button
                variant="ghost"
                size="sm"
                disabled={revoke.isPending}
                aria-label={`Revoke the invitation to ${invitation.email}`}
                onClick={() =>
                  revoke.mutate(
                    { invitationId: invitation.id },
                    {
                      onSuccess: () => toast.success(`Invitation to ${invitation.email} revoked`),
                      onError: toastError,
                    },
                  )
                }
              >
                Revoke
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </SimpleTable>
    </div>
  );
}
