/** Your signed-in sessions; end any of them (ending the current one signs you out). */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { ConfirmAction, useConfirmTarget } from "@/components/confirm-action.tsx";
import { column, dateTimeColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { actionsColumn } from "@/components/query-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { formatDateTime, formatRelative } from "@/lib/format.ts";
import { sessionsQueryOptions, useRevokeSession, type Session } from "../api/sessions-queries.ts";

/** A short, human description of a user agent string (browser on platform). */
export function describeUserAgent(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Chrome\//.test(ua)
      ? "Chrome"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Safari\//.test(ua)
          ? "Safari"
          : /curl|node|undici/i.test(ua)
            ? "Script"
            : "Browser";
  const platform = /Windows/.test(ua)
    ? "Windows"
    : /Mac OS X/.test(ua)
      ? "macOS"
      : /Android/.test(ua)
        ? "Android"
        : /iPhone|iPad/.test(ua)
          ? "iOS"
          : /Linux/.test(ua)
            ? "Linux"
            : null;
  return platform ? `${browser} on ${platform}` : browser;
}

export function SessionsPage(): React.JSX.Element {
  const sessions = useQuery(sessionsQueryOptions());
  const revoke = useRevokeSession();
  const ending = useConfirmTarget<Session>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const columns: Array<DataTableColumn<Session>> = [
    column("device", "Device", (session) => (
      <div className="flex flex-col">
        <span className="flex items-center gap-2 font-medium">
          {describeUserAgent(session.userAgent)}
          {session.current ? <Badge>This session</Badge> : null}
        </span>
        <span className="text-xs text-muted-foreground">
          {session.ipAddress ?? "unknown address"}
        </span>
      </div>
    )),
    dateTimeColumn("started", "Signed in", (session) => session.createdAt),
    column("seen", "Last active", (session) => formatRelative(session.lastSeenAt)),
    column("expires", "Expires", (session) => (
      <time dateTime={session.expiresAt} title={formatDateTime(session.expiresAt)}>
        {formatRelative(session.expiresAt)}
      </time>
    )),
    actionsColumn((session) => (
      <Button
        variant="ghost"
        size="sm"
        className="text-destructive"
        aria-haspopup="dialog"
        onClick={() => ending.ask(session)}
      >
        {session.current ? "Sign out" : "End session"}
      </Button>
    )),
  ];

  return (
    <>
      <ListPage
        title="Your sessions"
        description="Devices signed in to your account. A session ends after a period of inactivity or when you end it here."
        columns={columns}
        query={sessions}
        columnClassNames={{ started: "hidden md:table-cell", seen: "hidden sm:table-cell" }}
        empty={<EmptyState title="No active sessions" />}
      />
      <ConfirmAction
        state={ending}
        title={(session) => (session.current ? "Sign out of this session" : "End session")}
        description={(session) =>
          session.current
            ? "You will be signed out here."
            : "That device will be signed out at once and has to sign in again."
        }
        confirmLabel={(session) => (session.current ? "Sign out" : "End session")}
        run={(session) => revoke.mutateAsync({ sessionId: session.id })}
        done={(session) => {
          if (!session.current) return "Session ended";
          void navigate({ to: "/login", replace: true }).then(() => queryClient.clear());
          return null;
        }}
      />
    </>
  );
}
