/** Email + password sign-in; returns to ?redirect= (a same-origin path) afterwards. */
import { zodResolver } from "@hookform/resolvers/zod";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { registerField } from "@/lib/forms.ts";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { safeRedirectPath } from "@/lib/session-expiry.ts";
import { useLogin } from "../api/auth-queries.ts";

const ZLoginForm = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(254),
  password: z.string().min(1, "Enter your password").max(256),
});
type LoginForm = z.infer<typeof ZLoginForm>;

export function LoginPage(): React.JSX.Element {
  const search = useSearch({ from: "/login" });
  const navigate = useNavigate();
  const login = useLogin();
  const form = useForm<LoginForm>({
    resolver: zodResolver(ZLoginForm),
    defaultValues: { email: "", password: "" },
  });
  const failure = login.error ? errorInfo(login.error) : null;
  const expired = Boolean(search.redirect) && !login.isPending && !failure;

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
          <h1 className="text-2xl font-semibold">Sign in</h1>
          {expired ? (
            <p className="text-sm text-muted-foreground" role="status">
              Your session has ended. Sign in again to continue where you were.
            </p>
          ) : null}
        </div>
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
          <Link to="/forgot-password" className="text-sm text-primary hover:underline">
            Forgot password?
          </Link>
        </form>
      </div>
    </main>
  );
}
