/**
 * /invitations/accept?token=: the link in an invitation email. The page first reads what
 * the invitation leads to (invitations.preview), then asks only what accepting needs:
 * - a new account: a name and a password, and the person lands signed in on their teams;
 * - a new account where the organization enforces single sign-on: a name, then on to the
 *   identity provider;
 * - an existing account: one button; the memberships are added and the person signs in as
 *   usual (the link alone never signs an existing account in).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ZName, ZPassword } from "@gatehouse/core";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { registerField } from "@/lib/forms.ts";
import { invitationPreviewQuery, useAcceptInvitation } from "../api/auth-queries.ts";
import { AuthCard, AuthFailure } from "./auth-card.tsx";
import { ssoStartUrl } from "./login-page.tsx";

const ZNewAccountForm = z.object({ name: ZName, password: ZPassword });
const ZSsoAccountForm = z.object({ name: ZName, password: z.string() });
/** An existing account keeps its name: nothing to ask. */
const ZExistingAccountForm = z.object({ name: z.string(), password: z.string() });

type Preview = {
  email: string;
  organizationName: string | null;
  teamName: string | null;
  accountExists: boolean;
  ssoEnforced: boolean;
};

export function AcceptInvitationPage(): React.JSX.Element {
  const { token } = useSearch({ from: "/invitations/accept" });
  const preview = useQuery({ ...invitationPreviewQuery(token ?? ""), enabled: Boolean(token) });
  if (!token) {
    return (
      <AuthCard title="Accept the invitation">
        <p role="alert" className="text-sm">
          This link has no token: open the link from the invitation email.
        </p>
      </AuthCard>
    );
  }
  if (preview.isPending) {
    return (
      <AuthCard title="Accept the invitation">
        <p role="status" className="text-sm text-muted-foreground">
          Reading the invitation…
        </p>
      </AuthCard>
    );
  }
  if (preview.isError) {
    return (
      <AuthCard title="Accept the invitation">
        <AuthFailure error={preview.error} />
      </AuthCard>
    );
  }
  return <AcceptForm token={token} preview={preview.data} />;
}

function destination(preview: Preview): string {
  const places = [preview.teamName, preview.organizationName].filter(Boolean);
  return places.length > 0 ? places.join(" in ") : "Gatehouse";
}

function AcceptForm({ token, preview }: { token: string; preview: Preview }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const withPassword = !preview.accountExists && !preview.ssoEnforced;
  const form = useForm<z.input<typeof ZNewAccountForm>, unknown, z.output<typeof ZNewAccountForm>>({
    resolver: zodResolver(
      preview.accountExists
        ? ZExistingAccountForm
        : withPassword
          ? ZNewAccountForm
          : ZSsoAccountForm,
    ),
    defaultValues: { name: "", password: "" },
  });
  const joined = accept.data?.status === "joined" ? accept.data : null;
  if (joined) {
    return (
      <AuthCard title="You have joined" intro={`Your access to ${destination(preview)} is ready.`}>
        {joined.signInWith === "sso" ? (
          <Button
            className="w-full"
            onClick={() => window.location.assign(ssoStartUrl(joined.email))}
          >
            Continue with single sign-on
          </Button>
        ) : (
          <Button asChild className="w-full">
            <Link to="/login">Sign in as {joined.email}</Link>
          </Button>
        )}
      </AuthCard>
    );
  }
  const submit = form.handleSubmit((values) =>
    accept.mutate(
      {
        token,
        // The API ignores the name of an existing account; its input still carries one.
        name: preview.accountExists ? preview.email : values.name,
        ...(withPassword ? { password: values.password } : {}),
      },
      {
        onSuccess: (result) => {
          if (result.status === "signedIn") void navigate({ to: "/teams", replace: true });
        },
      },
    ),
  );
  const intro = preview.accountExists
    ? `${preview.email} already has an account: accepting adds ${destination(preview)} to it.`
    : preview.ssoEnforced
      ? `Join ${destination(preview)} as ${preview.email}. Your organization signs in by single sign-on: no password here.`
      : `Join ${destination(preview)} as ${preview.email}: choose your name and a password.`;
  return (
    <AuthCard title="Accept the invitation" intro={intro}>
      <form noValidate className="flex flex-col gap-4" onSubmit={submit}>
        {preview.accountExists ? null : (
          <TextField
            id="name"
            label="Your name"
            autoComplete="name"
            autoFocus
            {...registerField(form, "name")}
          />
        )}
        {withPassword ? (
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters."
            {...registerField(form, "password")}
          />
        ) : null}
        <AuthFailure error={accept.error} />
        <Button type="submit" disabled={accept.isPending} className="w-full">
          {accept.isPending ? "Joining…" : "Join"}
        </Button>
      </form>
    </AuthCard>
  );
}
