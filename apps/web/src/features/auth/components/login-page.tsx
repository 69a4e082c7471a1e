/**
 * Email + password sign-in, returning to ?redirect= (a same-origin path) afterwards; or
 * "Continue with single sign-on": the email alone, then the browser leaves for
 * /auth/sso/start, which sends it to the organization's identity provider. A failed single
 * sign-on comes back here with ?sso_error=<code>.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { registerField } from "@/lib/forms.ts";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { safeRedirectPath } from "@/lib/session-expiry.ts";
import { useLogin } from "../api/auth-queries.ts";
import { ssoErrorMessage } from "../sso-errors.ts";

const ZLoginForm = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(254),
  password: z.string().min(1, "Enter your password").max(256),
});
type LoginForm = z.infer<typeof ZLoginForm>;

const ZSsoForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address")
    .max(254)
    .email("Enter a valid email address"),
});
type SsoForm = z.infer<typeof ZSsoForm>;

/**
 * The URL that starts a single sign-on for this email (a full navigation, not a fetch). The
 * API brings the person back to `/` afterwards: ?redirect= does not survive the round trip.
 */
export function ssoStartUrl(email: string): string {
  return `/auth/sso/start?${new URLSearchParams({ email }).toString()}`;
}

export function LoginPage(): React.JSX.Element {
  const search = useSearch({ from: "/login" });
  const navigate = useNavigate();
  const login = useLogin();
  const form = useForm<LoginForm>({
    resolver: zodResolver(ZLoginForm),
    defaultValues: { email: "", password: "" },
  });
  const [mode, setMode] = useState<"password" | "sso">(search.sso_error ? "sso" : "password");
  const ssoForm = useForm<SsoForm>({
    resolver: zodResolver(ZSsoForm),
    defaultValues: { email: "" },
  });
  const [leaving, setLeaving] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const failure = login.error ? errorInfo(login.error) : null;
  const ssoFailure = search.sso_error ? ssoErrorMessage(search.sso_error) : null;
  const expired = Boolean(search.redirect) && !login.isPending && !failure && !ssoFailure;

  const switchTo = (next: "password" | "sso") => {
    if (next === "sso") ssoForm.setValue("email", form.getValues("email"));
    else form.setValue("email", ssoForm.getValues("email"));
    setMode(next);
    // The form under the heading changed: move focus to its top so a screen reader says so.
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  const onSsoSubmit = ssoForm.handleSubmit((values) => {
    setLeaving(true);
    window.location.assign(ssoStartUrl(values.email));
  });

  const onSubmit = form.handleSubmit((values) => {
    login.mutate(values, {
      onSuccess: () => void navigate({ href: safeRedirectPath(search.redirect), replace: true }),
    });
  });

  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 px-4 py-10">
      <div className="w-full max-w-sm rounded-lg border bg-card p-6 shadow-sm">
        <div className="mb-6 flex flex-col gap-1">
          <p className="text-sm font-semibold tracking-wide text-primary">Gatehouse</p>
          <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-semibold outline-none">
            {mode === "sso" ? "Sign in with single sign-on" : "Sign in"}
          </h1>
          {expired ? (
            <p className="text-sm text-muted-foreground" role="status">
              Your session has ended. Sign in again to continue where you were.
            </p>
          ) : null}
        </div>
        {ssoFailure ? (
          <div
            role="alert"
            className="mb-4 rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm text-destructive"
          >
            {ssoFailure}
          </div>
        ) : null}
        {mode === "sso" ? (
          <form onSubmit={onSsoSubmit} noValidate className="flex flex-col gap-4">
            <TextField
              id="sso-email"
              label="Work email"
              type="email"
              autoComplete="username"
              autoFocus
              hint="You continue at your organization's identity provider."
              {...registerField(ssoForm, "email")}
            />
            <Button type="submit" disabled={leaving} className="w-full">
              {leaving ? "Redirecting…" : "Continue"}
            </Button>
            <Button type="button" variant="link" onClick={() => switchTo("password")}>
              Sign in with a password instead
            </Button>
          </form>
        ) : (
          <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
            <TextField
              id="email"
              label="Email"
              type="email"
              autoComplete="username"
              autoFocus
              {...registerField(form, "email")}
            />
            <TextField
              id="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              {...registerField(form, "password")}
            />
            {failure ? (
              <div
                role="alert"
                className="rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm text-destructive"
              >
                {failure.message}
                {failure.requestId && failure.httpStatus !== 401 ? (
                  <span className="mt-1 block text-xs text-muted-foreground">
                    Request ID: {failure.requestId}
                  </span>
                ) : null}
              </div>
            ) : null}
            <Button type="submit" disabled={login.isPending} className="w-full">
              {login.isPending ? "Signing in…" : "Sign in"}
            </Button>
            <div
              className="flex items-center gap-3 text-xs text-muted-foreground"
              aria-hidden="true"
            >
              <span className="h-px flex-1 bg-border" />
              or
              <span className="h-px flex-1 bg-border" />
            </div>
            <Button
              type="button"
              variant="outline"
              className="w-full"
              onClick={() => switchTo("sso")}
            >
              Continue with single sign-on
            </Button>
            <Link to="/forgot-password" className="text-sm text-primary hover:underline">
              Forgot password?
            </Link>
          </form>
        )}
      </div>
    </main>
  );
}
