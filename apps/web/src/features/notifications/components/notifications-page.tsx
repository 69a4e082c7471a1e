/**
 * /notifications: the signed-in person's notifications, newest first, all or unread only;
 * mark one or every shown one read. Paged by cursor ("Show more").
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { Button } from "@/components/ui/button.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { toastError } from "@/lib/errors.ts";
import { formatDateTime, formatRelative, pluralize } from "@/lib/format.ts";
import { notificationPagesQueryOptions, useMarkRead } from "../api/notifications-queries.ts";
import { NotificationLink } from "./notification-link.tsx";

export function NotificationsPage(): React.JSX.Element {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const pages = useInfiniteQuery(notificationPagesQueryOptions(unreadOnly));
  const markRead = useMarkRead();
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const unreadCount = pages.data?.pages[0]?.unreadCount ?? 0;
  const unreadShown = items.filter((n) => n.readAt === null).map((n) => n.id);
  const mark = (ids: string[]) => markRead.mutate({ ids }, { onError: toastError });

  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          pages.data
            ? `${pluralize(unreadCount, "unread notification")}.`
            : "What happened to your teams."
        }
        actions={
          <Button
            variant="outline"
            disabled={unreadShown.length === 0 || markRead.isPending}
            onClick={() => mark(unreadShown.slice(0, 500))}
          >
            Mark all read
          </Button>
        }
      />
      <SectionCard
        id="notifications"
        title="Your notifications"
        actions={
          <div role="group" aria-label="Show" className="flex gap-1">
            <Button
              variant={unreadOnly ? "ghost" : "secondary"}
              size="sm"
              aria-pressed={!unreadOnly}
              onClick={() => setUnreadOnly(false)}
            >
              All
            </Button>
            <Button
              variant={unreadOnly ? "secondary" : "ghost"}
              size="sm"
              aria-pressed={unreadOnly}
              onClick={() => setUnreadOnly(true)}
            >
              Unread
            </Button>
          </div>
        }
      >
        <CardContent>
          {pages.isPending ? (
            <p className="text-sm text-muted-foreground">Loading…</p>
          ) : items.length === 0 ? (
            <EmptyState
              title={unreadOnly ? "No unread notifications" : "No notifications yet"}
              description="Budget alerts, expiry warnings and blocks of your teams show up here."
            />
          ) : (
            <ul className="divide-y" aria-label="Notifications">
              {items.map((n) => (
                <li key={n.id} className="flex items-start justify-between gap-4 py-3">
                  <div className="flex min-w-0 flex-col gap-0.5">
                    <NotificationLink notification={n} />
                    <p className="text-sm text-muted-foreground">{n.summary}</p>
                    <p className="text-xs text-muted-foreground">
                      <time dateTime={n.createdAt} title={formatDateTime(n.createdAt)}>
                        {formatRelative(n.createdAt)}
                      </time>
                      {n.organization ? ` · ${n.organization.name}` : null}
                    </p>
                  </div>
                  {n.readAt === null ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={markRead.isPending}
                      aria-label={`Mark read: ${n.title}`}
                      onClick={() => mark([n.id])}
                    >
                      Mark read
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {pages.hasNextPage ? (
            <Button
              variant="outline"
              className="mt-3"
              disabled={pages.isFetchingNextPage}
              onClick={() => void pages.fetchNextPage()}
            >
              Show more
            </Button>
          ) : null}
        </CardContent>
      </SectionCard>
    </>
  );
}
