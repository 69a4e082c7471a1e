/** A notification's title, linked to its team when the reader can see the team. */
import { Link } from "@tanstack/react-router";
import type { Notification } from "../api/notifications-queries.ts";

export function NotificationLink({
  notification,
  onFollow,
}: {
  notification: Notification;
  onFollow?: () => void;
}): React.JSX.Element {
  const unread = notification.readAt === null;
  const title = (
    <>
      {notification.title}
      {unread ? <span className="sr-only"> (unread)</span> : null}
    </>
  );
  const className = `text-sm ${unread ? "font-semibold" : ""}`;
  return notification.team ? (
    <Link
      to="/teams/$teamId"
      params={{ teamId: notification.team.id }}
      className={`${className} rounded text-primary underline-offset-4 hover:underline`}
      onClick={onFollow}
    >
      {title}
    </Link>
  ) : (
    <span className={className}>{title}</span>
  );
}
