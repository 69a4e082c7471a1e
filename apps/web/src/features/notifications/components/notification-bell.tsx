/**
 * The bell in the header: a button that says how many notifications are unread and opens a
 * panel of the newest unread ones, with "Mark all read" and a link to /notifications. A
 * disclosure, not a dialog: focus moves into the panel, Escape (or a click outside) closes
 * it and gives focus back to the bell.
 */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { BellIcon } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { toastError } from "@/lib/errors.ts";
import { formatRelative } from "@/lib/format.ts";
import { bellQueryOptions, useMarkRead } from "../api/notifications-queries.ts";
import { NotificationLink } from "./notification-link.tsx";

export function NotificationBell(): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const bell = useQuery(bellQueryOptions());
  const markRead = useMarkRead();
  const unread = bell.data?.unreadCount ?? 0;
  const items = bell.data?.items ?? [];

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const label = unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;

  return (
    <div
      ref={wrapper}
      className="relative"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          close(true);
        }
      }}
    >
      <Button
        ref={button}
        variant="ghost"
        size="icon"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="relative"
      >
        <BellIcon aria-hidden="true" />
        {unread > 0 ? (
          <span
            aria-hidden="true"
            className="absolute top-1 right-1 min-w-4 rounded-full bg-destructive px-1 text-[10px] leading-4 font-semibold text-destructive-foreground"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </Button>
      <div
        id={panelId}
        ref={panel}
        hidden={!open}
        tabIndex={-1}
        role="region"
        aria-label="Unread notifications"
        className="absolute right-0 z-50 mt-2 w-80 max-w-[calc(100vw-1.5rem)] rounded-md border bg-card shadow-md outline-none"
      >
        <div className="flex items-center justify-between gap-2 border-b px-3 py-2">
          <h2 className="text-sm font-semibold">Notifications</h2>
          <Button
            variant="link"
            size="sm"
            disabled={items.length === 0 || markRead.isPending}
            onClick={() =>
              markRead.mutate({ ids: items.map((n) => n.id) }, { onError: toastError })
            }
          >
            Mark all read
          </Button>
        </div>
        {items.length === 0 ? (
          <p className="px-3 py-6 text-center text-sm text-muted-foreground">
            {bell.isPending ? "Loading…" : "No unread notifications."}
          </p>
        ) : (
          <ul className="max-h-96 divide-y overflow-y-auto">
            {items.map((n) => (
              <li key={n.id} className="px-3 py-2">
                <NotificationLink
                  notification={n}
                  onFollow={() => {
                    markRead.mutate({ ids: [n.id] });
                    close(false);
                  }}
                />
                <p className="text-xs text-muted-foreground">{n.summary}</p>
                <p className="text-xs text-muted-foreground">
                  <time dateTime={n.createdAt}>{formatRelative(n.createdAt)}</time>
                </p>
              </li>
            ))}
          </ul>
        )}
        <div className="border-t px-3 py-2 text-sm">
          <Link
            to="/notifications"
            className="text-primary underline-offset-4 hover:underline"
            onClick={() => close(false)}
          >
            All notifications
          </Link>
        </div>
      </div>
    </div>
  );
}
