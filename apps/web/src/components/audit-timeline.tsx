/**
 * Audit events as a list (the audit log page and a team's audit trail). Presentational:
 * the owner runs the query and passes pages in.
 */
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { formatDateTime } from "@/lib/format.ts";
import type { RouterOutputs } from "@/lib/trpc.ts";
import { EmptyState } from "./empty-state.tsx";
import { ErrorState } from "./error-state.tsx";

export type AuditEvent = RouterOutputs["audit"]["list"]["items"][number];

function actorLabel(event: AuditEvent): string {
  if (event.actorEmail) return event.actorEmail;
  if (event.actorServiceTokenId) return `service token ${event.actorServiceTokenId.slice(0, 8)}`;
  if (event.actorUserId) return `user ${event.actorUserId.slice(0, 8)}`;
  return "system";
}

function hasDetails(details: unknown): boolean {
  return typeof details === "object" && details !== null && Object.keys(details).length > 0;
}

export function AuditTimeline({
  events,
  isLoading,
  error,
  onRetry,
  hasMore,
  isLoadingMore,
  onLoadMore,
  emptyText = "No audit events.",
  showTarget = true,
}: {
  events: AuditEvent[];
  isLoading: boolean;
  error: unknown;
  onRetry?: () => void;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
  emptyText?: string;
  showTarget?: boolean;
}) {
  if (isLoading) {
    return (
      <div className="flex flex-col gap-3 p-4" aria-busy="true">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    );
  }
  if (error && events.length === 0)
    return <ErrorState error={error} className="m-4" {...(onRetry ? { onRetry } : {})} />;
  if (events.length === 0) return <EmptyState title={emptyText} />;
  return (
    <div>
      <ol className="divide-y">
        {events.map((event) => (
          <li key={event.id} className="flex flex-col gap-1 px-4 py-3 text-sm">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Badge variant="secondary" className="font-mono">
                {event.action}
              </Badge>
              <span className="font-medium">{actorLabel(event)}</span>
              {showTarget ? (
                <span className="text-muted-foreground">
                  on {event.targetType}{" "}
                  <code className="font-mono text-xs">{event.targetId.slice(0, 8)}</code>
                </span>
              ) : null}
              <time
                className="ml-auto text-xs whitespace-nowrap text-muted-foreground"
                dateTime={event.createdAt}
              >
                {formatDateTime(event.createdAt)}
              </time>
            </div>
            {hasDetails(event.details) || event.requestId ? (
              <details className="text-xs text-muted-foreground">
                <summary className="w-fit cursor-pointer rounded">Details</summary>
                <pre className="mt-1 overflow-x-auto rounded bg-muted p-2 font-mono whitespace-pre-wrap break-all">
                  {JSON.stringify(event.details, null, 2)}
                </pre>
                {event.requestId ? (
                  <p className="mt-1">
                    Request ID: <code className="font-mono">{event.requestId}</code>
                  </p>
                ) : null}
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {error ? <ErrorState error={error} className="m-4" /> : null}
      {hasMore ? (
        <div className="border-t p-3 text-center">
          <Button variant="outline" size="sm" onClick={onLoadMore} disabled={isLoadingMore}>
            {isLoadingMore ? "Loading…" : "Load older events"}
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** An infinite audit.list query as the timeline's props (events, loading, "load older"). */
export function auditQueryProps(query: {
  data: { pages: Array<{ items: AuditEvent[] }> } | undefined;
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}) {
  return {
    events: query.data?.pages.flatMap((p) => p.items) ?? [],
    isLoading: query.isPending,
    error: query.error,
    onRetry: () => void query.refetch(),
    hasMore: query.hasNextPage,
    isLoadingMore: query.isFetchingNextPage,
    onLoadMore: () => void query.fetchNextPage(),
  };
}
