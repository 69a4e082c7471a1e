import { XIcon } from "lucide-react";
import { Dialog as DialogPrimitive } from "radix-ui";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils.ts";
import { withClasses } from "./with-classes.tsx";

export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;

/**
 * Radix returns focus to a `DialogTrigger` only; many dialogs here open from a plain button
 * (a row's "Delete", a lazily loaded dialog) or a menu item. So focus goes back to the last
 * element focused outside any dialog (what opened it), or to the page's main region when
 * that is gone (the row was deleted), never to the document body where a keyboard user
 * would start over. The opener is tracked on focusin because an autofocused field takes
 * focus before the dialog's own open event could read it; floating lists (a select's
 * options, a menu) are portalled out of their dialog and do not count as openers.
 */
let lastFocusOutsideDialogs: HTMLElement | null = null;
const notOpeners = '[role="dialog"], [data-radix-popper-content-wrapper]';
if (typeof document !== "undefined") {
  const track = (element: Element | null) => {
    if (element instanceof HTMLElement && !element.closest(notOpeners))
      lastFocusOutsideDialogs = element;
  };
  document.addEventListener("focusin", (event) => track(event.target as Element | null), true);
  // A menu trigger keeps focus off itself on pointerdown: remember the control pressed too.
  document.addEventListener(
    "pointerdown",
    (event) =>
      track((event.target as Element | null)?.closest("button, a[href], input, select") ?? null),
    true,
  );
}

function returnFocus(event: Event): void {
  event.preventDefault();
  // Another dialog took over (a loading dialog replaced by the real one): leave it be.
  if (document.querySelector('[role="dialog"][data-state="open"]')) return;
  const opener = lastFocusOutsideDialogs?.isConnected ? lastFocusOutsideDialogs : null;
  (opener ?? document.getElementById("main"))?.focus({ preventScroll: true });
}

export function DialogContent({
  className,
  children,
  onCloseAutoFocus,
  ...props
}: ComponentProps<typeof DialogPrimitive.Content>) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/40" />
      <DialogPrimitive.Content
        className={cn(
          "fixed top-[50%] left-[50%] z-50 flex max-h-[calc(100dvh-2rem)] w-[calc(100%-1.5rem)] max-w-lg translate-x-[-50%] translate-y-[-50%] flex-col gap-4 overflow-y-auto rounded-lg border bg-card p-5 shadow-lg outline-none",
          className,
        )}
        {...props}
        onCloseAutoFocus={(event) => {
          onCloseAutoFocus?.(event);
          if (!event.defaultPrevented) returnFocus(event);
        }}
      >
        {children}
        <DialogPrimitive.Close className="absolute top-3 right-3 rounded-sm p-1 opacity-70 transition-opacity hover:opacity-100 focus-visible:ring-2 focus-visible:ring-ring">
          <XIcon className="size-4" aria-hidden="true" />
          <span className="sr-only">Close</span>
        </DialogPrimitive.Close>
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

export const DialogHeader = withClasses("div", "flex flex-col gap-1.5 pr-6");
export const DialogFooter = withClasses(
  "div",
  "flex flex-col-reverse gap-2 sm:flex-row sm:justify-end",
);
export const DialogTitle = withClasses(DialogPrimitive.Title, "text-lg font-semibold leading-none");
export const DialogDescription = withClasses(
  DialogPrimitive.Description,
  "text-sm text-muted-foreground",
);
