/**
 * What the merge would do, exactly as teams.mergePreview reports it: conflicts and their
 * resolution, members and keys to move, keys to delete, blocking products, warnings and
 * the deletion of the source team. Presentational: no data fetching here.
 */
import { AlertTriangleIcon, ArrowRightIcon, BanIcon, Trash2Icon } from "lucide-react";
import type { ReactNode } from "react";
import { ErrorState } from "@/components/error-state.tsx";
import { Badge, type BadgeLook } from "@/components/ui/badge.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { SimpleTable } from "@/components/simple-table.tsx";
import { TableCell, TableHead, TableRow } from "@/components/ui/table.tsx";
import { pluralize, teamRoleLabel } from "@/lib/format.ts";
import { mergeBlockReasons, type MergePreview } from "../api/merge-types.ts";

const resolutionBadge: Record<MergePreview["conflicts"][number]["resolution"], BadgeLook> = {
  rename: { variant: "default", label: "Rename" },
  delete: { variant: "destructive", label: "Delete" },
  cancel: { variant: "warning", label: "Refuse merge" },
};

const memberActionBadge: Record<MergePreview["members"][number]["action"], BadgeLook> = {
  add: { variant: "success", label: "added" },
  upgrade: { variant: "default", label: "role raised" },
  keep: { variant: "secondary", label: "unchanged" },
};

export function MergePreviewView({
  preview,
  isLoading,
  error,
}: {
  preview: MergePreview | undefined;
  isLoading: boolean;
  error: unknown;
}) {
  if (isLoading) {
    return (
      <div role="status" aria-label="Computing the merge preview" className="flex flex-col gap-3">
        <p className="text-sm text-muted-foreground">Computing the merge preview…</p>
        <Skeleton className="h-5 w-2/3" />
        <Skeleton className="h-24 w-full" />
        <Skeleton className="h-24 w-full" />
      </div>
    );
  }
  if (error) return <ErrorState error={error} title="The merge preview failed" />;
  if (!preview) {
    return (
      <p className="rounded-md border border-dashed p-4 text-center text-sm text-muted-foreground">
        Choose a target and a source team to see what the merge would do.
      </p>
    );
  }

  const blockers = mergeBlockReasons(preview);
  const inactiveKeys = preview.keysToMove.filter((k) => !k.regionActive);

  return (
    <div className="flex flex-col gap-4" data-testid="merge-preview">
      <p className="text-sm">
        Merge <strong>{preview.source.name}</strong> (
        {pluralize(preview.source.membersCount, "member")},{" "}
        {pluralize(preview.source.keysCount, "key")}) into <strong>{preview.target.name}</strong> (
        {pluralize(preview.target.membersCount, "member")},{" "}
        {pluralize(preview.target.keysCount, "key")}).
        {preview.crossOrganization ? (
          <Badge variant="warning" className="ml-2">
            Across organizations
          </Badge>
        ) : null}
      </p>

      {blockers.length > 0 ? (
        <Callout
          tone="danger"
          icon={<BanIcon className="size-4" aria-hidden="true" />}
          title="This merge cannot run as asked"
        >
          <ul className="list-disc pl-5">
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </Callout>
      ) : null}

      {preview.blockingProducts.length > 0 ? (
        <Section title="Blocking products" count={preview.blockingProducts.length}>
          <p className="text-sm text-muted-foreground">
            The source team has active products. Detach them before merging.
          </p>
          <div className="flex flex-wrap gap-1.5" data-testid="blocking-products">
            {preview.blockingProducts.map((p) => (
              <Badge key={p.id} variant="destructive">
                {p.name}
              </Badge>
            ))}
          </div>
        </Section>
      ) : null}

      {preview.warnings.length > 0 || inactiveKeys.length > 0 ? (
        <Callout
          tone="warning"
          icon={<AlertTriangleIcon className="size-4" aria-hidden="true" />}
          title="Warnings"
        >
          <ul className="list-disc pl-5">
            {preview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
            {inactiveKeys.length > 0 && !preview.warnings.some((w) => /inactive/i.test(w)) ? (
              <li>
                {pluralize(inactiveKeys.length, "key")} in an inactive region will move in Gatehouse
                now; LiteLLM is updated when the region is active again.
              </li>
            ) : null}
          </ul>
        </Callout>
      ) : null}

      <TableSection
        title="Conflicting key names"
        items={preview.conflicts}
        empty="No key name exists in both teams."
        head={
          <>
            <TableHead>Key name</TableHead>
            <TableHead>Resolution</TableHead>
            <TableHead>Source key after the merge</TableHead>
          </>
        }
      >
        {(c) => (
          <TableRow key={c.sourceKeyId}>
            <TableCell className="font-mono text-xs">{c.name}</TableCell>
            <TableCell>
              <Badge variant={resolutionBadge[c.resolution].variant}>
                {resolutionBadge[c.resolution].label}
              </Badge>
            </TableCell>
            <TableCell className="font-mono text-xs">
              {c.resolution === "rename" && c.newName ? (
                <span className="inline-flex items-center gap-1">
                  {c.name} <ArrowRightIcon className="size-3" aria-label="becomes" />{" "}
                  <strong>{c.newName}</strong>
                </span>
              ) : c.resolution === "delete" ? (
                <span className="text-destructive">deleted (also in LiteLLM)</span>
              ) : (
                <span className="text-muted-foreground">merge refused: nothing changes</span>
              )}
            </TableCell>
          </TableRow>
        )}
      </TableSection>

      <TableSection
        title="Members to move"
        items={preview.members}
        empty="The source team has no members."
        head={
          <>
            <TableHead>Member</TableHead>
            <TableHead className="hidden sm:table-cell">Role in source</TableHead>
            <TableHead className="hidden sm:table-cell">Role in target</TableHead>
            <TableHead>Result</TableHead>
          </>
        }
      >
        {(m) => (
          <TableRow key={m.userId}>
            <TableCell className="break-all">{m.email}</TableCell>
            <TableCell className="hidden sm:table-cell">{teamRoleLabel[m.sourceRole]}</TableCell>
            <TableCell className="hidden sm:table-cell">
              {m.targetRole ? teamRoleLabel[m.targetRole] : "—"}
            </TableCell>
            <TableCell>
              <span className="inline-flex flex-wrap items-center gap-1">
                {teamRoleLabel[m.resultRole]}
                <Badge variant={memberActionBadge[m.action].variant}>
                  {memberActionBadge[m.action].label}
                </Badge>
              </span>
            </TableCell>
          </TableRow>
        )}
      </TableSection>

      <TableSection
        title="Keys to move"
        items={preview.keysToMove}
        empty="No key moves."
        head={
          <>
            <TableHead>Key</TableHead>
            <TableHead>Region</TableHead>
          </>
        }
      >
        {(k) => (
          <TableRow key={k.keyId}>
            <TableCell className="font-mono text-xs">
              {k.newName !== k.name ? (
                <span className="inline-flex flex-wrap items-center gap-1">
                  {k.name} <ArrowRightIcon className="size-3" aria-label="renamed to" />{" "}
                  <strong>{k.newName}</strong>
                </span>
              ) : (
                k.name
              )}
            </TableCell>
            <TableCell>
              <span className="inline-flex flex-wrap items-center gap-1">
                {k.regionName}
                {k.regionActive ? null : <Badge variant="warning">inactive: sync waits</Badge>}
              </span>
            </TableCell>
          </TableRow>
        )}
      </TableSection>

      {preview.keysToDelete.length > 0 ? (
        <Section title="Keys to delete" count={preview.keysToDelete.length}>
          <ul className="flex flex-wrap gap-1.5">
            {preview.keysToDelete.map((k) => (
              <li key={k.keyId}>
                <Badge variant="destructive" className="font-mono">
                  {k.name}
                </Badge>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Callout
        tone="danger"
        announce={false}
        icon={<Trash2Icon className="size-4" aria-hidden="true" />}
        title="The source team is deleted"
      >
        After the merge, <strong>{preview.source.name}</strong> no longer exists. Its members and
        keys live on in <strong>{preview.target.name}</strong>. This cannot be undone.
      </Callout>
    </div>
  );
}

function Section({
  title,
  count,
  children,
}: {
  title: string;
  count: number;
  children: ReactNode;
}) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-sm font-semibold">
        {title} <span className="font-normal text-muted-foreground">({count})</span>
      </h3>
      {children}
    </section>
  );
}

/** A section listing items in a table, or saying in a sentence that there are none. */
function TableSection<T>({
  title,
  items,
  empty,
  head,
  children,
}: {
  title: string;
  items: T[];
  empty: string;
  /** The header cells. */
  head: ReactNode;
  children: (item: T) => ReactNode;
}) {
  return (
    <Section title={title} count={items.length}>
      {items.length === 0 ? (
        <p className="text-sm text-muted-foreground">{empty}</p>
      ) : (
        <SimpleTable head={head}>{items.map(children)}</SimpleTable>
      )}
    </Section>
  );
}

function Callout({
  tone,
  icon,
  title,
  children,
  announce = tone === "danger",
}: {
  tone: "danger" | "warning";
  /** role="alert" makes screen readers interrupt; only for what blocks the merge. */
  announce?: boolean;
  icon: ReactNode;
  title: string;
  children: ReactNode;
}) {
  return (
    <div
      role={announce ? "alert" : "note"}
      className={
        tone === "danger"
          ? "rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm"
          : "rounded-md border border-warning/50 bg-warning/10 p-3 text-sm"
      }
    >
      <p
        className={`mb-1 flex items-center gap-2 font-medium ${tone === "danger" ? "text-destructive" : ""}`}
      >
        {icon}
        {title}
      </p>
      <div>{children}</div>
    </div>
  );
}
