/**
 * A region's last reconciliation, presentational: the summary ("In step" / "N differences"),
 * counts by kind, examples, the repair's progress and the actions. The dialog passes the
 * data in (and polls while a repair runs); component tests render it from props.
 */
import { CheckCircle2Icon, LoaderCircleIcon, TriangleAlertIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { SimpleTable } from "@/components/simple-table.tsx";
import { TableCell, TableHead, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime, pluralize } from "@/lib/format.ts";
import type { ReconcileReport, ReconcileStatus } from "../api/regions-queries.ts";

type Kind = keyof ReconcileReport["counts"];

export const kindLabel: Record<Kind, { label: string; help: string }> = {
  team_missing: {
    label: "Team missing",
    help: "A team with keys in this region is not on the proxy.",
  },
  key_missing: { label: "Key missing", help: "A Gatehouse key is not on the proxy." },
  key_wrong_team: {
    label: "Key in the wrong team",
    help: "The proxy holds the key under another team.",
  },
  alias_drift: { label: "Alias differs", help: "The key's alias on the proxy is not Gatehouse's." },
  orphan_key: {
    label: "Orphan key",
    help: "A key Gatehouse created but no longer knows. Repair leaves it; delete it explicitly.",
  },
  limits_drift: {
    label: "Limits differ",
    help: "A team's budget, rate limits or models on the proxy are not its entitlement, or a key may call more than model routes. Repair pushes them again.",
  },
  block_drift: {
    label: "Block differs",
    help: "A team or key is blocked on the proxy while Gatehouse holds no reason, or the other way round. Repair sets it again.",
  },
};

const KINDS = Object.keys(kindLabel) as Kind[];

/** "In step", "N differences", or why there is no verdict; shared by the table and the dialog. */
export function reconcileSummary(region: {
  lastReconciledAt: string | null;
  differenceCount: number | null;
}): {
  text: string;
  variant: "success" | "warning" | "secondary";
} {
  if (region.lastReconciledAt === null) return { text: "Not checked yet", variant: "secondary" };
  if (region.differenceCount === null) return { text: "Check failed", variant: "warning" };
  if (region.differenceCount === 0) return { text: "In step", variant: "success" };
  return { text: pluralize(region.differenceCount, "difference"), variant: "warning" };
}

export function ReconcileReportView({
  status,
  busy,
  onCheck,
  onRepair,
  onDeleteOrphans,
}: {
  status: ReconcileStatus;
  /** A check, repair or deletion request is under way. */
  busy: boolean;
  onCheck: () => void;
  onRepair: () => void;
  onDeleteOrphans: () => void;
}) {
  const summary = reconcileSummary(status);
  const report = status.report;
  const repairable = report
    ? KINDS.filter((k) => k !== "orphan_key").reduce((n, k) => n + report.counts[k], 0) -
      report.notRestorable
    : 0;
  const repair = status.repair;
  const percent =
    repair && repair.total > 0
      ? Math.round(((repair.done + repair.failed) / repair.total) * 100)
      : 0;

  return (
    <div className="flex flex-col gap-4" data-testid="reconcile-report">
      <div className="flex flex-wrap items-center gap-2" role="status" aria-live="polite">
        {status.running ? (
          <LoaderCircleIcon className="size-5 animate-spin text-primary" aria-hidden="true" />
        ) : summary.variant === "success" ? (
          <CheckCircle2Icon className="size-5 text-success" aria-hidden="true" />
        ) : (
          <TriangleAlertIcon className="size-5 text-warning" aria-hidden="true" />
        )}
        <Badge variant={summary.variant}>{summary.text}</Badge>
        <span className="text-sm text-muted-foreground">
          {status.running
            ? "Checking now…"
            : status.lastReconciledAt
              ? `Checked ${formatDateTime(status.lastReconciledAt)}`
              : "Never checked"}
        </span>
      </div>
      {status.outcome === "failed" && status.error ? (
        <p role="alert" className="text-sm text-destructive">
          The last check could not read the proxy: {status.error}
        </p>
      ) : null}

      {report ? (
        <>
          <SimpleTable
            aria-label="Differences by kind"
            head={
              <>
                <TableHead>Difference</TableHead>
                <TableHead className="text-right">Count</TableHead>
              </>
            }
          >
            {KINDS.map((kind) => (
              <TableRow key={kind}>
                <TableCell title={kindLabel[kind].help}>{kindLabel[kind].label}</TableCell>
                <TableCell className="text-right tabular-nums">{report.counts[kind]}</TableCell>
              </TableRow>
            ))}
          </SimpleTable>
          {report.notRestorable > 0 ? (
            <p className="text-sm text-muted-foreground">
              {pluralize(report.notRestorable, "missing key", "missing keys")} cannot be re-created:
              their secret was not kept.
            </p>
          ) : null}
          <ExampleList report={report} />
          <p className="text-xs text-muted-foreground">
            Read {report.scanned.proxyKeys} keys and {report.scanned.proxyTeams} teams from the
            proxy, {report.scanned.gatehouseKeys} keys from Gatehouse.
            {report.inFlight > 0 ? ` ${report.inFlight} changes already queued were left out.` : ""}
          </p>
        </>
      ) : null}

      {repair && repair.total > 0 ? (
        <div className="flex flex-col gap-1" data-testid="repair-progress">
          <p className="text-sm font-medium">
            {repair.pending > 0
              ? "Repairing…"
              : repair.failed > 0
                ? "Repair finished with failures"
                : "Repair done"}{" "}
            ({repair.done} of {repair.total} done
            {repair.failed > 0 ? `, ${repair.failed} failed` : ""})
          </p>
          <progress className="w-full" max={100} value={percent} aria-label="Repair progress" />
        </div>
      ) : null}

      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={onCheck} disabled={busy || status.running}>
          Check now
        </Button>
        <Button onClick={onRepair} disabled={busy || status.running || repairable <= 0}>
          Repair
        </Button>
        {report && report.counts.orphan_key > 0 ? (
          <Button variant="destructive" onClick={onDeleteOrphans} disabled={busy || status.running}>
            Delete {pluralize(report.counts.orphan_key, "orphan key")}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function ExampleList({ report }: { report: ReconcileReport }) {
  const examples = KINDS.flatMap((kind) => report.examples[kind]);
  if (examples.length === 0) return null;
  return (
    <SimpleTable
      aria-label="Examples"
      head={
        <>
          <TableHead>Kind</TableHead>
          <TableHead>Key or team</TableHead>
          <TableHead>Expected</TableHead>
          <TableHead>On the proxy</TableHead>
        </>
      }
    >
      {examples.map((e, i) => (
        <TableRow key={`${e.kind}-${e.keyId ?? e.teamId ?? ""}-${i}`}>
          <TableCell>{kindLabel[e.kind].label}</TableCell>
          <TableCell>
            {e.keyName ??
              (e.keyTokenPrefix ? (
                <code className="font-mono text-xs">{e.keyTokenPrefix}…</code>
              ) : (
                e.teamId
              ))}
            {e.restorable === false ? (
              <Badge variant="warning" className="ml-2">
                not restorable
              </Badge>
            ) : null}
          </TableCell>
          <TableCell className="break-all text-xs">{e.expected ?? "—"}</TableCell>
          <TableCell className="break-all text-xs">
            {e.actual ?? (e.kind === "key_missing" || e.kind === "team_missing" ? "absent" : "—")}
          </TableCell>
        </TableRow>
      ))}
    </SimpleTable>
  );
}
