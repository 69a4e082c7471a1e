/**
 * Rotates a key (keys.rotate): a new secret, shown once, while the previous one keeps
 * working for the overlap chosen here (0: it stops at once), so clients can switch over.
 */
import { ROTATION_DEFAULT_OVERLAP_HOURS, ROTATION_MAX_OVERLAP_HOURS } from "@gatehouse/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { TextField } from "@/components/field.tsx";
import { SecretReveal } from "@/components/secret-reveal.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { formatDateTime } from "@/lib/format.ts";
import { trpc } from "@/lib/trpc.ts";
import type { ApiKey } from "../api/keys-queries.ts";

export function RotateKeyDialog({
  apiKey,
  onClose,
}: {
  /** The key to rotate; null: closed. */
  apiKey: ApiKey | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [hours, setHours] = useState(String(ROTATION_DEFAULT_OVERLAP_HOURS));
  const [error, setError] = useState<string | undefined>();
  const [rotated, setRotated] = useState<{ secret: string; retireAt: string } | null>(null);
  const rotate = useMutation(trpc.keys.rotate.mutationOptions());
  const close = () => {
    setHours(String(ROTATION_DEFAULT_OVERLAP_HOURS));
    setError(undefined);
    setRotated(null);
    onClose();
  };
  const submit = () => {
    if (!apiKey) return;
    const overlapHours = Number(hours);
    if (hours.trim() === "" || !Number.isFinite(overlapHours) || overlapHours < 0) {
      setError("Enter a number of hours, 0 or more");
      return;
    }
    if (overlapHours > ROTATION_MAX_OVERLAP_HOURS) {
      setError(`At most ${ROTATION_MAX_OVERLAP_HOURS} hours`);
      return;
    }
    rotate.mutate(
      { keyId: apiKey.id, overlapHours },
      {
        onSuccess: (r) => {
          setRotated({ secret: r.secret, retireAt: r.retireAt });
          void queryClient.invalidateQueries({ queryKey: trpc.keys.list.pathKey() });
        },
        onError: (e) =>
          setError(errorInfo(e).fieldErrors?.overlapHours?.[0] ?? errorInfo(e).message),
      },
    );
  };
  return (
    <Dialog open={apiKey !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        {rotated && apiKey ? (
          <SecretReveal
            title="Copy the new secret now"
            description={`This is the only time the new secret of “${apiKey.name}” is shown.`}
            secret={rotated.secret}
            copyLabel="Copy new secret"
            testId="rotated-key-secret"
            footnote={`The previous secret keeps working until ${formatDateTime(rotated.retireAt)}.`}
            onDone={close}
          />
        ) : (
          <>
            <DialogHeading
              title="Rotate API key"
              description={
                apiKey ? (
                  <p>
                    Give <strong className="font-mono">{apiKey.name}</strong> a new secret. The
                    current one keeps working for the overlap, then it is deleted.
                  </p>
                ) : null
              }
              block
            />
            <TextField
              id="rotate-overlap"
              label="Overlap (hours)"
              hint="0 stops the current secret at once."
              type="number"
              min={0}
              max={ROTATION_MAX_OVERLAP_HOURS}
              value={hours}
              error={error}
              onChange={(e) => {
                setHours(e.target.value);
                setError(undefined);
              }}
            />
            <DialogFooter>
              <Button variant="outline" onClick={close} disabled={rotate.isPending}>
                Cancel
              </Button>
              <Button disabled={rotate.isPending || apiKey === null} onClick={submit}>
                {rotate.isPending ? "Rotating…" : "Rotate key"}
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
