/**
 * "Alerts" on an organization's page (alerts.getSettings / updateSettings), for its admins:
 * the budget thresholds that notify, the days before expiry that warn, and who is mailed for
 * each event type (everyone concerned gets the in-app notification regardless). Numbers are
 * typed as comma-separated lists; the API sorts them and answers field errors.
 */
import {
  EVENT_TYPE_LABELS,
  EVENT_TYPES,
  isOperationsEvent,
  RECIPIENT_GROUPS,
  type EventType,
  type RecipientGroup,
} from "@gatehouse/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { TextField } from "@/components/field.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { Button } from "@/components/ui/button.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { errorInfo, errorSummary } from "@/lib/errors.ts";
import { apiFieldMessages } from "@/lib/forms.ts";
import { trpc } from "@/lib/trpc.ts";

/** The types an organization's people hear of (operations events go to system admins). */
const ORG_EVENT_TYPES = EVENT_TYPES.filter((t) => t !== "test" && !isOperationsEvent(t));

const GROUP_LABELS: Record<RecipientGroup, string> = {
  team_admins: "Team admins",
  org_admins: "Organization admins",
  system_admins: "System admins",
};

/** "50, 75 90" -> [50, 75, 90]; anything not a number is kept as NaN for the API to refuse. */
const numbersOf = (text: string): number[] =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));

export function AlertSettings({ organizationId }: { organizationId: string }): React.JSX.Element {
  const settings = useQuery(trpc.alerts.getSettings.queryOptions({ organizationId }));
  const save = useMutation(trpc.alerts.updateSettings.mutationOptions());
  const [thresholds, setThresholds] = useState("");
  const [days, setDays] = useState("");
  const [recipients, setRecipients] = useState<Partial<Record<EventType, RecipientGroup[]>>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!settings.data) return;
    setThresholds(settings.data.budgetThresholds.join(", "));
    setDays(settings.data.expiryWarningDays.join(", "));
    setRecipients(settings.data.emailRecipients);
  }, [settings.data]);

  const errorOf = (field: string): string | undefined => {
    const found = Object.entries(errors).filter(
      ([key]) => key === field || key.startsWith(`${field}.`),
    );
    return found.length > 0 ? found.map(([, m]) => m).join("; ") : undefined;
  };

  const toggle = (type: EventType, group: RecipientGroup, on: boolean) =>
    setRecipients((current) => {
      const groups = new Set(current[type] ?? []);
      if (on) groups.add(group);
      else groups.delete(group);
      return { ...current, [type]: RECIPIENT_GROUPS.filter((g) => groups.has(g)) };
    });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setErrors({});
    save.mutate(
      {
        organizationId,
        budgetThresholds: numbersOf(thresholds),
        expiryWarningDays: numbersOf(days),
        emailRecipients: recipients,
      },
      {
        onSuccess: () => toast.success("Alert settings saved"),
        onError: (error) => {
          const messages = apiFieldMessages(errorInfo(error));
          if (Object.keys(messages).length > 0) setErrors(messages);
          else {
            const { title, description } = errorSummary(error);
            toast.error(title, description ? { description } : undefined);
          }
        },
      },
    );
  };

  return (
    <SectionCard id="org-alerts" title="Alerts">
      <CardContent>
        {settings.isPending ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : (
          <form noValidate onSubmit={submit} className="flex flex-col gap-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                id="alert-thresholds"
                label="Budget thresholds (%)"
                hint="Each team is told when its spend crosses these percentages of its budget."
                value={thresholds}
                onChange={(e) => setThresholds(e.target.value)}
                error={errorOf("budgetThresholds")}
              />
              <TextField
                id="alert-expiry-days"
                label="Expiry warnings (days before)"
                hint="Teams are warned this many days before they are blocked for expiry."
                value={days}
                onChange={(e) => setDays(e.target.value)}
                error={errorOf("expiryWarningDays")}
              />
            </div>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium">Who is mailed</legend>
              <p className="text-sm text-muted-foreground">
                Everyone concerned sees each event in the app; these choose who also gets a mail.
                People can turn off mails per type on their account page.
              </p>
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <caption className="sr-only">Mail recipients per event type</caption>
                  <thead>
                    <tr className="text-left text-muted-foreground">
                      <th scope="col" className="py-1 pr-4 font-medium">
                        Event
                      </th>
                      {RECIPIENT_GROUPS.map((group) => (
                        <th key={group} scope="col" className="px-2 py-1 font-medium">
                          {GROUP_LABELS[group]}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {ORG_EVENT_TYPES.map((type) => (
                      <tr key={type} className="border-t">
                        <th scope="row" className="py-1.5 pr-4 text-left font-normal">
                          {EVENT_TYPE_LABELS[type]}
                        </th>
                        {RECIPIENT_GROUPS.map((group) => (
                          <td key={group} className="px-2 py-1.5">
                            <input
                              type="checkbox"
                              className="size-4 accent-primary"
                              aria-label={`Mail ${GROUP_LABELS[group].toLowerCase()}: ${EVENT_TYPE_LABELS[type]}`}
                              checked={(recipients[type] ?? []).includes(group)}
                              onChange={(e) => toggle(type, group, e.target.checked)}
                            />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {errorOf("emailRecipients") ? (
                <p role="alert" className="text-sm text-destructive">
                  {errorOf("emailRecipients")}
                </p>
              ) : null}
            </fieldset>
            <div>
              <Button type="submit" disabled={save.isPending}>
                Save alert settings
              </Button>
            </div>
          </form>
        )}
      </CardContent>
    </SectionCard>
  );
}
