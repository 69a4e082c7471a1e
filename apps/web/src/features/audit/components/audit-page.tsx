/**
 * The audit log: filters (action, actor, target, organization, time range) in the URL,
 * newest first, older pages by cursor. Admins see everything, org admins their orgs.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { AuditTimeline, auditQueryProps } from "@/components/audit-timeline.tsx";
import { Field, TextField } from "@/components/field.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { registerField } from "@/lib/forms.ts";
import { trpc } from "@/lib/trpc.ts";
import { auditInfiniteQueryOptions } from "../api/audit-queries.ts";
import type { AuditSearch } from "../search.ts";

const ALL = "__all__";
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ZFilters = z
  .object({
    action: z.string().trim().max(100),
    actorId: z
      .string()
      .trim()
      .refine((v) => v === "" || uuid.test(v), "A user or service token id"),
    targetType: z.string().trim().max(50),
    targetId: z.string().trim().max(100),
    org: z.string(),
    from: z.string(),
    to: z.string(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    path: ["to"],
    message: "Must not be before “from”",
  });
type Filters = z.infer<typeof ZFilters>;

/** The free-text filters, then (after the organization) the time range, as the form shows them. */
const textFilters = [
  { id: "audit-action", name: "action", label: "Action", placeholder: "e.g. team.member.add" },
  { id: "audit-actor", name: "actorId", label: "Actor id", placeholder: "user or token id" },
  { id: "audit-target-type", name: "targetType", label: "Target type", placeholder: "e.g. team" },
  { id: "audit-target", name: "targetId", label: "Target id", placeholder: "id" },
] as const;
const timeFilters = [
  { id: "audit-from", name: "from", label: "From" },
  { id: "audit-to", name: "to", label: "To" },
] as const;

/** <input type="datetime-local"> speaks local time without a zone; the API wants ISO. */
const toLocalInput = (iso: string | undefined) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

function toForm(search: AuditSearch): Filters {
  return {
    action: search.action ?? "",
    actorId: search.actorId ?? "",
    targetType: search.targetType ?? "",
    targetId: search.targetId ?? "",
    org: search.org ?? ALL,
    from: toLocalInput(search.from),
    to: toLocalInput(search.to),
  };
}

export const AuditPage = withAccess(can.seeAudit, "the audit log", AuditScreen);

function AuditScreen() {
  const access = useAccess();
  const search = useSearch({ from: "/_authed/audit" });
  const navigate = useNavigate({ from: "/audit" });
  const events = useInfiniteQuery(auditInfiniteQueryOptions(search));
  const form = useForm<Filters>({ resolver: zodResolver(ZFilters), defaultValues: toForm(search) });
  const { reset } = form;
  useEffect(() => reset(toForm(search)), [search, reset]);
  // Admins filter by any organization; org admins by the ones they administer.
  const allOrgs = useQuery({
    ...trpc.orgs.list.queryOptions({ page: 1, pageSize: 100 }),
    enabled: access.isAdmin,
  });
  const orgChoices = access.isAdmin
    ? (allOrgs.data?.items ?? [])
    : access.organizations.filter((o) => o.role === "ORG_ADMIN");

  const apply = form.handleSubmit((v) =>
    navigate({
      search: {
        action: v.action || undefined,
        actorId: v.actorId || undefined,
        targetType: v.targetType || undefined,
        targetId: v.targetId || undefined,
        org: v.org === ALL ? undefined : v.org,
        from: fromLocalInput(v.from),
        to: fromLocalInput(v.to),
      },
    }),
  );

  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          access.isAdmin
            ? "Every change, newest first."
            : "Changes in the organizations you administer, newest first."
        }
      />
      <Card>
        <form
          onSubmit={apply}
          noValidate
          className="grid gap-3 border-b p-3 sm:grid-cols-2 lg:grid-cols-4"
        >
          {textFilters.map(({ name, ...field }) => (
            <TextField key={name} {...field} {...registerField(form, name)} />
          ))}
          {orgChoices.length > 0 ? (
            <Field id="audit-org" label="Organization">
              <OptionSelect
                id="audit-org"
                control={form.control}
                name="org"
                options={[
                  { value: ALL, label: access.isAdmin ? "All" : "All of mine" },
                  ...orgChoices.map((o) => ({ value: o.id, label: o.name })),
                ]}
              />
            </Field>
          ) : null}
          {timeFilters.map(({ name, ...field }) => (
            <TextField key={name} type="datetime-local" {...field} {...registerField(form, name)} />
          ))}
          <div className="flex items-end gap-2">
            <Button type="submit">Apply</Button>
            <Button variant="outline" onClick={() => void navigate({ search: {} })}>
              Reset
            </Button>
          </div>
        </form>
        <AuditTimeline {...auditQueryProps(events)} emptyText="No event matches these filters." />
      </Card>
    </>
  );
}
