import type { ComponentProps, MouseEvent } from "react";
import { cn } from "@/lib/utils.ts";

/**
 * A date input opens its calendar on click instead of through Chromium's picker icon: the
 * icon is a Tab stop of its own inside the input on which neither the input's :focus nor
 * :focus-visible holds, so it could never show the focus ring. Typing the date (and the
 * browser's keyboard shortcut for the picker) still work.
 */
function openPicker(event: MouseEvent<HTMLInputElement>): void {
  try {
    event.currentTarget.showPicker();
  } catch {
    // Not supported, or not allowed here: typing the date works.
  }
}

export function Input({ className, type, onClick, ...props }: ComponentProps<"input">) {
  return (
    <input
      type={type}
      className={cn(
        "flex h-9 w-full min-w-0 rounded-md border border-input bg-card px-3 py-1 text-sm shadow-xs transition-colors outline-none placeholder:text-muted-foreground focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed disabled:bg-muted disabled:text-muted-foreground aria-invalid:border-destructive",
        type === "date" && "[&::-webkit-calendar-picker-indicator]:hidden",
        className,
      )}
      onClick={
        type === "date"
          ? (event) => {
              onClick?.(event);
              openPicker(event);
            }
          : onClick
      }
      {...props}
    />
  );
}
