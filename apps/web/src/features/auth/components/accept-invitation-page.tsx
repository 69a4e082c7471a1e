/**
 * /invitations/accept?token=: the link in an invitation email. A name and a password
 * create the account (an existing account keeps its password: the fields are then
 * ignored), and the person lands signed in on their teams.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ZName, ZPassword } from "@gatehouse/core";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { registerField } from "@/lib/forms.ts";
import { useAcceptInvitation } from "../api/auth-queries.ts";
import { AuthCard, AuthFailure } from "./auth-card.tsx";

const ZAcceptForm = z.object({ name: ZName, password: ZPassword });

export function AcceptInvitationPage(): React.JSX.Element {
  const { token } = useSearch({ from: "/invitations/accept" });
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const form = useForm<z.input<typeof ZAcceptForm>, unknown, z.output<typeof ZAcceptForm>>({
    resolver: zodResolver(ZAcceptForm),
    defaultValues: { name: "", password: "" },
  });
  return (
    <AuthCard
      title="Accept the invitation"
      intro="Choose your name and a password to create your account."
    >
      {token ? (
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={form.handleSubmit((values) =>
            accept.mutate(
              { token, ...values },
              { onSuccess: () => void navigate({ to: "/teams", replace: true }) },
            ),
          )}
        >
          <TextField
            id="name"
            label="Your name"
            autoComplete="name"
            autoFocus
            {...registerField(form, "name")}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters."
            {...registerField(form, "password")}
          />
          <AuthFailure error={accept.error} />
          <Button type="submit" disabled={accept.isPending} className="w-full">
            {accept.isPending ? "Joining…" : "Join"}
          </Button>
        </form>
      ) : (
        <p role="alert" className="text-sm">
          This link has no token: open the link from the invitation email.
        </p>
      )}
    </AuthCard>
  );
}
