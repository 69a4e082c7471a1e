/**
 * "Are you sure?" for an action on one thing (remove this member, revoke this token): the
 * dialog is open while a target is set, runs the action, then says so in a toast and
 * closes; a failure is a toast with the request id and the dialog stays.
 */
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { toastError } from "@/lib/errors.ts";

/** What a confirmation is about: `ask(thing)` opens it, `close()` (or success) ends it. */
export interface ConfirmTarget<T> {
  target: T | null;
  ask: (target: T) => void;
  close: () => void;
}

export function useConfirmTarget<T>(): ConfirmTarget<T> {
  const [target, setTarget] = useState<T | null>(null);
  return { target, ask: setTarget, close: () => setTarget(null) };
}

export function ConfirmAction<T, R = unknown>({
  state: { target, close },
  title,
  description,
  confirmLabel,
  destructive,
  run,
  done,
}: {
  state: ConfirmTarget<T>;
  title: string | ((target: T) => string);
  description: (target: T) => ReactNode;
  confirmLabel: string | ((target: T) => string);
  destructive?: boolean;
  run: (target: T) => Promise<R>;
  /** The toast after success; null for none (e.g. when the page goes away). */
  done: (target: T, result: R) => string | null;
}) {
  // Busy from the click until the action settles (the dialog stays open on failure).
  const [busy, setBusy] = useState(false);
  const text = (value: string | ((target: T) => string)) =>
    typeof value === "string" ? value : target !== null ? value(target) : "";
  return (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={(open) => !open && close()}
      title={text(title)}
      description={target !== null ? description(target) : null}
      confirmLabel={text(confirmLabel)}
      {...(destructive === undefined ? {} : { destructive })}
      busy={busy}
      onConfirm={() => {
        if (target === null) return;
        setBusy(true);
        run(target)
          .then((result) => {
            const message = done(target, result);
            if (message) toast.success(message);
            close();
          }, toastError)
          .finally(() => setBusy(false));
      }}
    />
  );
}
