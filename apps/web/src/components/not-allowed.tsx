import { Link } from "@tanstack/react-router";
import { LockIcon } from "lucide-react";
import { buttonVariants } from "@/components/ui/button.tsx";

/** Shown instead of a screen the caller's role does not include (the API refuses it too). */
export function NotAllowed({ what = "this page" }: { what?: string }) {
  return (
    <div
      role="alert"
      className="mx-auto flex max-w-md flex-col items-center gap-3 py-16 text-center"
    >
      <LockIcon className="size-8 text-muted-foreground" aria-hidden="true" />
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="text-sm text-muted-foreground">
        Your account does not have access to {what}. Ask a system administrator if you need it.
      </p>
      <Link to="/teams" className={buttonVariants({ variant: "outline" })}>
        Go to your teams
      </Link>
    </div>
  );
}
