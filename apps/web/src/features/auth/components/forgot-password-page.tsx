/**
 * /forgot-password: asks for the email and says the same thing whatever happens next (the
 * API answers alike for existing and unknown emails).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Link } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ZEmail } from "@gatehouse/core";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { registerField } from "@/lib/forms.ts";
import { useRequestPasswordReset } from "../api/auth-queries.ts";
import { AuthCard, AuthFailure } from "./auth-card.tsx";

const ZForgotForm = z.object({ email: ZEmail });

export function ForgotPasswordPage(): React.JSX.Element {
  const request = useRequestPasswordReset();
  const form = useForm<z.input<typeof ZForgotForm>, unknown, z.output<typeof ZForgotForm>>({
    resolver: zodResolver(ZForgotForm),
    defaultValues: { email: "" },
  });
  if (request.isSuccess) {
    return (
      <AuthCard title="Check your email">
        <p role="status" className="text-sm">
          If an account uses this address, an email with a link to set a new password is on its way.
          The link works once, for 30 minutes.
        </p>
        <Link to="/login" className="mt-4 inline-block text-sm text-primary hover:underline">
          Back to sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Forgot password" intro="We will email you a link to set a new password.">
      <form
        noValidate
        className="flex flex-col gap-4"
        onSubmit={form.handleSubmit((values) => request.mutate(values))}
      >
        <TextField
          id="email"
          label="Email"
          type="email"
          autoComplete="username"
          autoFocus
          {...registerField(form, "email")}
        />
        <AuthFailure error={request.error} />
        <Button type="submit" disabled={request.isPending} className="w-full">
          {request.isPending ? "Sending…" : "Send the link"}
        </Button>
        <Link to="/login" className="text-sm text-primary hover:underline">
          Back to sign in
        </Link>
      </form>
    </AuthCard>
  );
}
