/**
 * The merge dialog's states, rendered from props (no network): loading preview,
 * conflicts with their rename resolution, blocking products disabling confirm, sync
 * progress per key, done and failed.
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { TRPCClientError } from "@trpc/client";
import { previewFixture, resultFixture, statusFixture } from "../testing/merge-fixtures.ts";
import { MergeConfirm, canConfirmMerge } from "./merge-confirm.tsx";
import { MergePreviewView } from "./merge-preview-view.tsx";
import { MergeProgressView } from "./merge-progress-view.tsx";

describe("merge preview", () => {
  it("shows a loading state while the preview is computed", () => {
    render(<MergePreviewView preview={undefined} isLoading error={null} />);
    expect(
      screen.getByRole("status", { name: /computing the merge preview/i }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId("merge-preview")).not.toBeInTheDocument();
  });

  it("asks for both teams before there is anything to preview", () => {
    render(<MergePreviewView preview={undefined} isLoading={false} error={null} />);
    expect(screen.getByText(/choose a target and a source team/i)).toBeInTheDocument();
  });

  it("lists each conflict with its rename resolution, members, keys and the deletion warning", () => {
    render(<MergePreviewView preview={previewFixture()} isLoading={false} error={null} />);

    const conflicts = screen.getByRole("heading", {
      name: /conflicting key names \(1\)/i,
    }).parentElement!;
    const row = within(conflicts).getAllByRole("row")[1]!;
    expect(within(row).getByText("Rename")).toBeInTheDocument();
    expect(row).toHaveTextContent("default");
    expect(within(row).getByText("default-Acme Research")).toBeInTheDocument();

    const members = screen.getByRole("heading", { name: /members to move \(2\)/i }).parentElement!;
    expect(within(members).getByText("ada@acme.test")).toBeInTheDocument();
    expect(within(members).getByText("role raised")).toBeInTheDocument();

    const keys = screen.getByRole("heading", { name: /keys to move \(3\)/i }).parentElement!;
    expect(within(keys).getByText(/inactive: sync waits/i)).toBeInTheDocument();

    expect(screen.getByText("The source team is deleted")).toBeInTheDocument();
    expect(screen.getByText(/will be deleted/)).toBeInTheDocument();
  });

  it("shows the delete resolution and the keys it deletes", () => {
    const preview = previewFixture({
      strategy: "delete",
      conflicts: [
        {
          name: "default",
          sourceKeyId: previewFixture().conflicts[0]!.sourceKeyId,
          targetKeyId: previewFixture().conflicts[0]!.targetKeyId,
          resolution: "delete",
          newName: null,
        },
      ],
      keysToDelete: [{ keyId: previewFixture().conflicts[0]!.sourceKeyId, name: "default" }],
    });
    render(<MergePreviewView preview={preview} isLoading={false} error={null} />);
    expect(screen.getByText(/deleted \(also in litellm\)/i)).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: /keys to delete \(1\)/i })).toBeInTheDocument();
  });

  it("shows a failed preview with the request id", () => {
    const error = new TRPCClientError("Team not found", {
      result: {
        error: {
          message: "Team not found",
          code: -32004,
          data: { code: "NOT_FOUND", httpStatus: 404, requestId: "req-abc12345" },
        },
      },
    });
    render(<MergePreviewView preview={undefined} isLoading={false} error={error} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Team not found");
    expect(screen.getByText("req-abc12345")).toBeInTheDocument();
  });
});

describe("merge confirmation", () => {
  it("is disabled until the deletion is acknowledged, then enabled", async () => {
    const user = userEvent.setup();
    const onAck = vi.fn();
    const { rerender } = render(
      <form>
        <MergeConfirm
          preview={previewFixture()}
          previewIsCurrent
          acknowledged={false}
          onAcknowledgedChange={onAck}
          busy={false}
          onCancel={() => {}}
        />
      </form>,
    );
    const button = screen.getByRole("button", { name: /merge and delete source/i });
    expect(button).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: /acme research.*will be deleted/i }));
    expect(onAck).toHaveBeenCalledWith(true);
    rerender(
      <form>
        <MergeConfirm
          preview={previewFixture()}
          previewIsCurrent
          acknowledged
          onAcknowledgedChange={onAck}
          busy={false}
          onCancel={() => {}}
        />
      </form>,
    );
    expect(screen.getByRole("button", { name: /merge and delete source/i })).toBeEnabled();
  });

  it("stays disabled when the source has active products, and says why", () => {
    const preview = previewFixture({
      blockingProducts: [{ id: "99999999-9999-4999-8999-999999999999", name: "Pro plan" }],
    });
    render(
      <>
        <MergePreviewView preview={preview} isLoading={false} error={null} />
        <form>
          <MergeConfirm
            preview={preview}
            previewIsCurrent
            acknowledged
            onAcknowledgedChange={() => {}}
            busy={false}
            onCancel={() => {}}
          />
        </form>
      </>,
    );
    expect(screen.getByRole("button", { name: /merge and delete source/i })).toBeDisabled();
    expect(
      within(screen.getByTestId("blocking-products")).getByText("Pro plan"),
    ).toBeInTheDocument();
    expect(screen.getByText(/this merge cannot run as asked/i)).toBeInTheDocument();
    // No acknowledgement is offered for a merge that cannot run.
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
  });

  it("is disabled while the preview is stale or the merge is running, and for blockers", () => {
    const preview = previewFixture();
    expect(
      canConfirmMerge({ preview, previewIsCurrent: true, acknowledged: true, busy: false }),
    ).toBe(true);
    expect(
      canConfirmMerge({ preview, previewIsCurrent: false, acknowledged: true, busy: false }),
    ).toBe(false);
    expect(
      canConfirmMerge({ preview, previewIsCurrent: true, acknowledged: true, busy: true }),
    ).toBe(false);
    expect(
      canConfirmMerge({
        preview: undefined,
        previewIsCurrent: true,
        acknowledged: true,
        busy: false,
      }),
    ).toBe(false);
    expect(
      canConfirmMerge({
        preview: previewFixture({
          strategy: "cancel",
          blockers: ["1 key name conflicts and the strategy is cancel"],
        }),
        previewIsCurrent: true,
        acknowledged: true,
        busy: false,
      }),
    ).toBe(false);
  });
});

describe("merge progress", () => {
  const now = new Date("2026-11-21T10:00:00.000Z").getTime();
  /** The view once the merge committed, with this sync status, at a fixed `now`. */
  const renderProgress = (status: ReturnType<typeof statusFixture>) =>
    render(
      <MergeProgressView
        result={resultFixture()}
        status={status}
        isLoading={false}
        error={null}
        now={now}
      />,
    );

  it("shows the sync in progress per key: state, attempts, last error, next attempt", () => {
    renderProgress(statusFixture());
    expect(screen.getByText(/merged\. syncing litellm/i)).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: /litellm sync progress/i })).toHaveAttribute(
      "aria-valuenow",
      "33",
    );
    expect(
      screen.getByText(/1 of 3 sync jobs done · 1 running · 1 waiting for an inactive region/i),
    ).toBeInTheDocument();

    const rows = screen.getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByText("Synced")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("Syncing")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("3")).toBeInTheDocument();
    expect(within(rows[1]!).getByText(/LiteLLM 503/)).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent(/next attempt in 30 seconds/i);
    expect(within(rows[2]!).getByText(/waiting: region inactive/i)).toBeInTheDocument();
  });

  it("shows a skeleton before the first status arrives", () => {
    render(
      <MergeProgressView result={resultFixture()} status={undefined} isLoading error={null} />,
    );
    expect(screen.getByText(/merged\. syncing litellm/i)).toBeInTheDocument();
    expect(screen.getByText(/3 keys moved/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows a completed merge", () => {
    const status = statusFixture({
      status: "DONE",
      completedAt: "2026-11-21T10:01:00.000Z",
      jobs: { total: 3, done: 3, pending: 0, running: 0, failed: 0, waiting: 0 },
      keys: statusFixture().keys.map((k) => ({
        ...k,
        state: "done" as const,
        lastError: null,
        nextAttemptAt: null,
      })),
    });
    renderProgress(status);
    expect(screen.getByText(/merge complete/i)).toBeInTheDocument();
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
    expect(screen.getAllByText("Synced")).toHaveLength(3);
  });

  it("shows a failed sync with the failing key's error", () => {
    const status = statusFixture({
      status: "FAILED",
      completedAt: "2026-11-21T10:05:00.000Z",
      jobs: { total: 3, done: 2, pending: 0, running: 0, failed: 1, waiting: 0 },
      keys: [
        statusFixture().keys[0]!,
        {
          ...statusFixture().keys[1]!,
          state: "failed",
          attempts: 25,
          lastError: "Team object not found for team change validation",
          nextAttemptAt: null,
        },
      ],
    });
    renderProgress(status);
    expect(screen.getByText(/the litellm sync failed/i)).toBeInTheDocument();
    expect(screen.getByText(/1 failed/)).toBeInTheDocument();
    const failedRow = screen.getByText("Failed").closest("tr")!;
    expect(within(failedRow).getByText("25")).toBeInTheDocument();
    expect(within(failedRow).getByText(/team object not found/i)).toBeInTheDocument();
  });
});
