/**
 * One shape for every dialog that holds a form: a trigger, a title and description, the
 * fields, one alert for what the API said that no field took (with the request id support
 * asks for), and a Cancel / Submit footer. State (open, reset, the API's field errors)
 * comes from `useFormDialog` in lib/forms.ts.
 */
import type { ComponentProps, FormEventHandler, ReactNode } from "react";
import { Button } from "@/components/ui/button.tsx";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import type { ErrorInfo } from "@/lib/errors.ts";

/** The API's message, with the request id on its own line when there is one. */
export function FormFailure({ failure }: { failure: ErrorInfo | null }) {
  if (!failure) return null;
  return (
    <p role="alert" className="text-sm text-destructive">
      {failure.message}
      {failure.requestId ? (
        <span className="block text-xs text-muted-foreground">Request ID: {failure.requestId}</span>
      ) : null}
    </p>
  );
}

export interface FormActionsProps {
  submitLabel: string;
  /** Shown on the submit button while the request runs ("Saving…"). */
  pendingLabel?: string;
  pending?: boolean;
  /** Disabled for another reason than pending (nothing chosen yet). */
  disabled?: boolean;
  destructive?: boolean;
  onCancel?: () => void;
}

/** Cancel (when there is somewhere to go back to) and Submit, right-aligned. */
export function FormActions({
  submitLabel,
  pendingLabel = "Saving…",
  pending = false,
  disabled = false,
  destructive = false,
  onCancel,
}: FormActionsProps) {
  return (
    <DialogFooter>
      {onCancel ? (
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
      ) : null}
      <Button
        type="submit"
        variant={destructive ? "destructive" : "default"}
        disabled={disabled || pending}
      >
        {pending ? pendingLabel : submitLabel}
      </Button>
    </DialogFooter>
  );
}

export function FormDialog({
  state,
  trigger,
  title,
  description,
  onSubmit,
  children,
  revealed,
  contentClassName,
  ...actions
}: Omit<FormActionsProps, "onCancel"> & {
  state: { open: boolean; onOpenChange: (open: boolean) => void; failure: ErrorInfo | null };
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  onSubmit: FormEventHandler<HTMLFormElement>;
  children: ReactNode;
  /**
   * Shown instead of the form once it succeeded with something to keep (a secret shown
   * once): a stray click outside must not close the dialog then.
   */
  revealed?: ReactNode;
  contentClassName?: string;
}) {
  const keepOpen: ComponentProps<typeof DialogContent>["onInteractOutside"] = (e) => {
    if (revealed) e.preventDefault();
  };
  return (
    <Dialog open={state.open} onOpenChange={state.onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className={contentClassName} onInteractOutside={keepOpen}>
        {revealed ?? (
          <>
            <DialogHeading title={title} description={description} />
            <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
              {children}
              <FormFailure failure={state.failure} />
              <FormActions {...actions} onCancel={() => state.onOpenChange(false)} />
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
