/** What the router shows while a lazy screen loads, when it fails, and for unknown URLs. */
import { Link, useRouter, type ErrorComponentProps } from "@tanstack/react-router";
import { ErrorState } from "@/components/error-state.tsx";
import { buttonVariants } from "@/components/ui/button.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";

export function PagePending() {
  return (
    <div className="flex flex-col gap-4 p-1" role="status" aria-label="Loading">
      <Skeleton className="h-8 w-56" />
      <Skeleton className="h-4 w-80 max-w-full" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}

export function PageError({ error }: ErrorComponentProps) {
  const router = useRouter();
  return (
    <div className="mx-auto max-w-xl py-10">
      <ErrorState
        error={error}
        title="This page failed to load"
        onRetry={() => void router.invalidate()}
      />
    </div>
  );
}

export function NotFoundPage() {
  return (
    <main className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-20 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-sm text-muted-foreground">There is nothing at this address.</p>
      <Link to="/teams" className={buttonVariants({ variant: "outline" })}>
        Go to teams
      </Link>
    </main>
  );
}
