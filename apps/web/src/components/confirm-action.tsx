/**
 * "Are you sure?" for an action on one thing (remove this member, revoke this token): the
 * dialog is open while a target is set, runs the action, then says so in a toast and
 * closes; a failure is a toast with the request id and the dialog stays.
 */
import type { ReactNode } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { toastError } from "@/lib/errors.ts";

export function ConfirmAction<T, R = unknown>({
  target,
  onClose,
  title,
  description,
  confirmLabel,
  destructive,
  busy,
  run,
  done,
}: {
  target: T | null;
  onClose: () => void;
  title: string | ((target: T) => string);
  description: (target: T) => ReactNode;
  confirmLabel: string | ((target: T) => string);
  destructive?: boolean;
  busy: boolean;
  run: (target: T) => Promise<R>;
  /** The toast after success; null for none (e.g. when the page goes away). */
  done: (target: T, result: R) => string | null;
}) {
  const text = (value: string | ((target: T) => string)) =>
    typeof value === "string" ? value : target !== null ? value(target) : "";
  return (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={(open) => !open && onClose()}
      title={text(title)}
      description={target !== null ? description(target) : null}
      confirmLabel={text(confirmLabel)}
      {...(destructive === undefined ? {} : { destructive })}
      busy={busy}
      onConfirm={() => {
        if (target === null) return;
        run(target).then((result) => {
          const message = done(target, result);
          if (message) toast.success(message);
          onClose();
        }, toastError);
      }}
    />
  );
}
