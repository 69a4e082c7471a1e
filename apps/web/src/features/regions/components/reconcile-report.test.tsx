/**
 * The reconciliation report's states, rendered from props (no network): in step, N
 * differences with examples and the not-restorable note, repair progress, a failed check.
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ReconcileReport, ReconcileStatus } from "../api/regions-queries.ts";
import { ReconcileReportView, reconcileSummary } from "./reconcile-report-view.tsx";

const regionId = "44444444-4444-4444-8444-444444444444";
const teamId = "22222222-2222-4222-8222-222222222222";

function report(overrides: Partial<ReconcileReport> = {}): ReconcileReport {
  const none = {
    team_missing: 0,
    key_missing: 0,
    key_wrong_team: 0,
    alias_drift: 0,
    orphan_key: 0,
    limits_drift: 0,
    block_drift: 0,
  };
  return {
    counts: { ...none },
    examples: {
      team_missing: [],
      key_missing: [],
      key_wrong_team: [],
      alias_drift: [],
      orphan_key: [],
      limits_drift: [],
      block_drift: [],
    },
    notRestorable: 0,
    scanned: { proxyTeams: 3, proxyKeys: 12, gatehouseTeams: 3, gatehouseKeys: 12 },
    inFlight: 0,
    ...overrides,
  };
}

function status(overrides: Partial<ReconcileStatus> = {}): ReconcileStatus {
  return {
    regionId,
    running: false,
    lastReconciledAt: "2026-11-28T10:00:00.000Z",
    outcome: "ok",
    error: null,
    differenceCount: 0,
    report: report(),
    repair: null,
    ...overrides,
  };
}

const example = (
  kind: keyof ReconcileReport["counts"],
  extra: Partial<ReconcileReport["examples"]["key_missing"][number]> = {},
) => ({
  kind,
  teamId,
  keyId: "77777777-7777-4777-8777-777777777771",
  keyName: "prod",
  keyTokenPrefix: "0123456789ab",
  expected: `eu_west_${teamId}`,
  actual: null,
  restorable: null,
  ...extra,
});

const noop = () => {};

/** The view of one status, idle, with callbacks that do nothing unless given. */
function renderView(
  data: ReconcileStatus,
  callbacks: { onRepair?: () => void; onDeleteOrphans?: () => void } = {},
) {
  render(
    <ReconcileReportView
      status={data}
      busy={false}
      onCheck={noop}
      onRepair={callbacks.onRepair ?? noop}
      onDeleteOrphans={callbacks.onDeleteOrphans ?? noop}
    />,
  );
}

describe("reconcile summary", () => {
  it.each([
    [{ lastReconciledAt: null, differenceCount: null }, "Not checked yet"],
    [{ lastReconciledAt: "2026-11-28T10:00:00.000Z", differenceCount: null }, "Check failed"],
    [{ lastReconciledAt: "2026-11-28T10:00:00.000Z", differenceCount: 0 }, "In step"],
    [{ lastReconciledAt: "2026-11-28T10:00:00.000Z", differenceCount: 1 }, "1 difference"],
    [{ lastReconciledAt: "2026-11-28T10:00:00.000Z", differenceCount: 4 }, "4 differences"],
  ])("%j -> %s", (region, text) => {
    expect(reconcileSummary(region).text).toBe(text);
  });
});

describe("reconcile report", () => {
  it("shows a region in step, with nothing to repair", () => {
    renderView(status());
    expect(screen.getByRole("status")).toHaveTextContent("In step");
    expect(screen.getByRole("button", { name: "Repair" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: /orphan/i })).not.toBeInTheDocument();
  });

  it("lists differences by kind with examples; Repair and the orphan deletion call back", async () => {
    const user = userEvent.setup();
    const onRepair = vi.fn();
    const onDeleteOrphans = vi.fn();
    const counts = {
      team_missing: 0,
      key_missing: 2,
      key_wrong_team: 1,
      alias_drift: 0,
      orphan_key: 1,
      limits_drift: 1,
      block_drift: 0,
    };
    const data = status({
      differenceCount: 5,
      report: report({
        counts,
        notRestorable: 1,
        examples: {
          team_missing: [],
          key_missing: [
            example("key_missing", { restorable: true }),
            example("key_missing", { keyName: "legacy", restorable: false }),
          ],
          key_wrong_team: [
            example("key_wrong_team", { keyName: "moved", actual: "eu_west_other" }),
          ],
          alias_drift: [],
          orphan_key: [example("orphan_key", { keyName: null, teamId: null })],
          limits_drift: [
            example("limits_drift", {
              keyName: null,
              keyId: null,
              keyTokenPrefix: null,
              expected: "max_budget=1000",
              actual: "max_budget=none",
            }),
          ],
          block_drift: [],
        },
      }),
    });
    renderView(data, { onRepair, onDeleteOrphans });
    expect(screen.getByRole("status")).toHaveTextContent("5 differences");
    const byKind = screen.getByRole("table", { name: "Differences by kind" });
    expect(within(byKind).getByRole("row", { name: /key missing 2/i })).toBeInTheDocument();
    expect(within(byKind).getByRole("row", { name: /orphan key 1/i })).toBeInTheDocument();
    expect(within(byKind).getByRole("row", { name: /limits differ 1/i })).toBeInTheDocument();
    expect(screen.getByText(/1 missing key cannot be re-created/i)).toBeInTheDocument();
    const examples = screen.getByRole("table", { name: "Examples" });
    expect(within(examples).getByText("not restorable")).toBeInTheDocument();
    expect(within(examples).getByText("eu_west_other")).toBeInTheDocument();
    expect(within(examples).getByText("0123456789ab…")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Repair" }));
    expect(onRepair).toHaveBeenCalledOnce();
    await user.click(screen.getByRole("button", { name: /delete 1 orphan key/i }));
    expect(onDeleteOrphans).toHaveBeenCalledOnce();
  });

  it("shows the repair's progress and disables the actions while a check runs", () => {
    renderView(
      status({
        running: true,
        differenceCount: 3,
        repair: { total: 4, done: 1, failed: 0, pending: 3 },
      }),
    );
    expect(screen.getByTestId("repair-progress")).toHaveTextContent("Repairing… (1 of 4 done)");
    expect(screen.getByRole("progressbar", { name: "Repair progress" })).toHaveAttribute(
      "value",
      "25",
    );
    expect(screen.getByRole("button", { name: "Check now" })).toBeDisabled();
  });

  it("says why the last check failed", () => {
    renderView(
      status({
        outcome: "failed",
        error: "unavailable/connection_failed",
        differenceCount: null,
        report: null,
      }),
    );
    expect(screen.getByRole("alert")).toHaveTextContent(
      "could not read the proxy: unavailable/connection_failed",
    );
    expect(screen.getByRole("status")).toHaveTextContent("Check failed");
  });
});
