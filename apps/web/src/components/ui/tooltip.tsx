import { Tooltip as TooltipPrimitive } from "radix-ui";
import type { ReactNode } from "react";
import { floating } from "./with-classes.tsx";

export const TooltipProvider = TooltipPrimitive.Provider;

export const TooltipContent = floating(
  TooltipPrimitive.Portal,
  TooltipPrimitive.Content,
  "z-50 max-w-xs rounded-md bg-foreground px-2 py-1 text-xs text-background shadow",
);

/** A hint on hover and keyboard focus; the trigger must be focusable. */
export function Tooltip({ content, children }: { content: ReactNode; children: ReactNode }) {
  return (
    <TooltipPrimitive.Root>
      <TooltipPrimitive.Trigger asChild>{children}</TooltipPrimitive.Trigger>
      <TooltipContent>{content}</TooltipContent>
    </TooltipPrimitive.Root>
  );
}
