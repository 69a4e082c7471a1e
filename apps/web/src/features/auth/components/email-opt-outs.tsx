/**
 * "Notification mails" on /account (notifications.getPreferences / updatePreferences): the
 * event types the person is mailed about, each one they can turn off. Notifications in the
 * app still come; only the mail stops.
 */
import { EVENT_TYPE_LABELS, EVENT_TYPES, isOperationsEvent, type EventType } from "@gatehouse/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { SectionCard } from "@/components/section-card.tsx";
import { Button } from "@/components/ui/button.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { useAccess } from "@/lib/access.ts";
import { toastError } from "@/lib/errors.ts";
import { trpc } from "@/lib/trpc.ts";

export function EmailOptOuts(): React.JSX.Element {
  const access = useAccess();
  const preferences = useQuery(trpc.notifications.getPreferences.queryOptions());
  const save = useMutation(trpc.notifications.updatePreferences.mutationOptions());
  const [optOuts, setOptOuts] = useState<ReadonlySet<EventType>>(new Set());
  useEffect(() => {
    if (preferences.data) setOptOuts(new Set(preferences.data.emailOptOuts));
  }, [preferences.data]);

  // Operations events reach system admins only; test events reach no one by mail.
  const types = EVENT_TYPES.filter(
    (t) => t !== "test" && (access.isAdmin || !isOperationsEvent(t)),
  );
  const toggle = (type: EventType, mailed: boolean) =>
    setOptOuts((current) => {
      const next = new Set(current);
      if (mailed) next.delete(type);
      else next.add(type);
      return next;
    });

  return (
    <SectionCard id="notification-mails" title="Notification mails">
      <CardContent>
        <form
          noValidate
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(
              { emailOptOuts: [...optOuts] },
              { onSuccess: () => toast.success("Mail preferences saved"), onError: toastError },
            );
          }}
        >
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm text-muted-foreground">
              Mail me when these happen to a team or organization I administer. Unticked types still
              show under the bell.
            </legend>
            {types.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={!optOuts.has(type)}
                  disabled={preferences.isPending}
                  onChange={(e) => toggle(type, e.target.checked)}
                />
                {EVENT_TYPE_LABELS[type]}
              </label>
            ))}
          </fieldset>
          <div>
            <Button type="submit" disabled={save.isPending || preferences.isPending}>
              Save mail preferences
            </Button>
          </div>
        </form>
      </CardContent>
    </SectionCard>
  );
}
