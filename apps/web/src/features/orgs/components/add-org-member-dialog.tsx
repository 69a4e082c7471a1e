/**
 * Adds a user to an organization with a role (adding a member again changes their role).
 * System admins search all users; an org admin, who may list only their own members,
 * types the person's email (users.lookup), which finds only people already in one of their
 * organizations: others join by invitation, so the dialog says so.
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { MemberFormDialog } from "@/components/member-form-dialog.tsx";
import { useAccess } from "@/lib/access.ts";

const roles = [
  { value: "MEMBER", label: "Member" },
  { value: "ORG_ADMIN", label: "Organization admin" },
] as const;

export function AddOrgMemberDialog({ organizationId }: { organizationId: string }) {
  const access = useAccess();
  const add = useMutation(trpc.orgs.addMember.mutationOptions());
  return (
    <MemberFormDialog
      id="org-member"
      title="Add organization member"
      description={
        access.isAdmin
          ? "Adding someone who is already a member changes their role."
          : "Adding someone who is already a member changes their role. You can add people from your other organizations; anyone else is added by a system administrator."
      }
      searching={access.isAdmin}
      roles={roles}
      defaultRole="MEMBER"
      add={(userId, role) => add.mutateAsync({ organizationId, userId, role })}
      added={() => "Member saved"}
    />
  );
}
