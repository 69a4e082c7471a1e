/**
 * /reset-password?token=: sets a new password from the link in the reset email. Every
 * session of the account ends; the person then signs in with the new password.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Link, useSearch } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ZPassword } from "@gatehouse/core";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { registerField } from "@/lib/forms.ts";
import { useResetPassword } from "../api/auth-queries.ts";
import { AuthCard, AuthFailure } from "./auth-card.tsx";

const ZResetForm = z
  .object({ password: ZPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords differ" });

export function ResetPasswordPage(): React.JSX.Element {
  const { token } = useSearch({ from: "/reset-password" });
  const reset = useResetPassword();
  const form = useForm({
    resolver: zodResolver(ZResetForm),
    defaultValues: { password: "", confirm: "" },
  });
  if (reset.isSuccess) {
    return (
      <AuthCard title="Password changed">
        <p role="status" className="text-sm">
          Your password is set and every session of your account was ended.
        </p>
        <Link to="/login" className="mt-4 inline-block text-sm text-primary hover:underline">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Set a new password">
      {token ? (
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={form.handleSubmit((values) =>
            reset.mutate({ token, password: values.password }),
          )}
        >
          <TextField
            id="new-password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters."
            autoFocus
            {...registerField(form, "password")}
          />
          <TextField
            id="confirm-password"
            label="Repeat the new password"
            type="password"
            autoComplete="new-password"
            {...registerField(form, "confirm")}
          />
          <AuthFailure error={reset.error} />
          <Button type="submit" disabled={reset.isPending} className="w-full">
            {reset.isPending ? "Saving…" : "Set password"}
          </Button>
        </form>
      ) : (
        <p role="alert" className="text-sm">
          This link has no token. <Link to="/forgot-password">Ask for a new one</Link>.
        </p>
      )}
    </AuthCard>
  );
}
