/** The centered card of the signed-out pages (sign in, forgot and reset password, invitations). */
import type { ReactNode } from "react";
import { errorInfo } from "@/lib/errors.ts";

export function AuthCard({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 px-4 py-10">
      <div className="w-full max-w-sm rounded-lg border bg-card p-6 shadow-sm">
        <div className="mb-6 flex flex-col gap-1">
          <p className="text-sm font-semibold tracking-wide text-primary">Gatehouse</p>
          <h1 className="text-2xl font-semibold">{title}</h1>
          {intro ? <div className="text-sm text-muted-foreground">{intro}</div> : null}
        </div>
        {children}
      </div>
    </main>
  );
}

/** What the API said that no field took, as an alert. */
export function AuthFailure({ error }: { error: unknown }) {
  if (!error) return null;
  const failure = errorInfo(error);
  return (
    <div
      role="alert"
      className="rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm text-destructive"
    >
      {failure.message}
    </div>
  );
}
