/**
 * The last step before merging: an explicit acknowledgement that the source team is
 * deleted, and the button, enabled only for a fresh preview with no blocker.
 */
import { useId } from "react";
import { Button } from "@/components/ui/button.tsx";
import { mergeBlockReasons, type MergePreview } from "../api/merge-types.ts";

export function canConfirmMerge(args: {
  preview: MergePreview | undefined;
  previewIsCurrent: boolean;
  acknowledged: boolean;
  busy: boolean;
}): boolean {
  const { preview, previewIsCurrent, acknowledged, busy } = args;
  return (
    preview !== undefined &&
    previewIsCurrent &&
    mergeBlockReasons(preview).length === 0 &&
    acknowledged &&
    !busy
  );
}

export function MergeConfirm({
  preview,
  previewIsCurrent,
  acknowledged,
  onAcknowledgedChange,
  busy,
  onCancel,
}: {
  preview: MergePreview | undefined;
  /** False while the form changed and the preview on screen is being recomputed. */
  previewIsCurrent: boolean;
  acknowledged: boolean;
  onAcknowledgedChange: (acknowledged: boolean) => void;
  busy: boolean;
  onCancel: () => void;
}) {
  const ackId = useId();
  const blocked = preview ? mergeBlockReasons(preview).length > 0 : true;
  const enabled = canConfirmMerge({ preview, previewIsCurrent, acknowledged, busy });
  return (
    <div className="flex flex-col gap-4">
      {preview && !blocked ? (
        <label
          htmlFor={ackId}
          className="flex items-start gap-2 rounded-md border border-destructive/40 p-3 text-sm"
        >
          <input
            id={ackId}
            type="checkbox"
            className="mt-0.5 accent-[var(--color-destructive)]"
            checked={acknowledged}
            onChange={(e) => onAcknowledgedChange(e.target.checked)}
          />
          <span>
            I understand that <strong>{preview.source.name}</strong> will be deleted and its members
            and keys moved to <strong>{preview.target.name}</strong>.
          </span>
        </label>
      ) : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="destructive" disabled={!enabled}>
          {busy ? "Merging…" : "Merge and delete source"}
        </Button>
      </div>
    </div>
  );
}
