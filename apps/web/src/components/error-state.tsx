import { AlertTriangleIcon } from "lucide-react";
import { Button } from "@/components/ui/button.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { cn } from "@/lib/utils.ts";

/** A failed request: what went wrong, and the request id to quote to an operator. */
export function ErrorState({
  error,
  title = "Could not load this",
  onRetry,
  className,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  className?: string;
}) {
  const info = errorInfo(error);
  return (
    <div
      role="alert"
      className={cn(
        "flex flex-col items-start gap-2 rounded-md border border-destructive/30 bg-destructive/5 p-4 text-sm",
        className,
      )}
    >
      <div className="flex items-center gap-2 font-medium text-destructive">
        <AlertTriangleIcon className="size-4" aria-hidden="true" />
        {title}
      </div>
      <p>{info.message}</p>
      {info.requestId ? (
        <p className="text-xs text-muted-foreground">
          Request ID: <code className="font-mono select-all">{info.requestId}</code>
        </p>
      ) : null}
      {onRetry ? (
        <Button size="sm" variant="outline" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
