import { DropdownMenu as DropdownMenuPrimitive } from "radix-ui";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils.ts";
import { floating, withClasses } from "./with-classes.tsx";

export const DropdownMenu = DropdownMenuPrimitive.Root;
export const DropdownMenuTrigger = DropdownMenuPrimitive.Trigger;

export const DropdownMenuContent = floating(
  DropdownMenuPrimitive.Portal,
  DropdownMenuPrimitive.Content,
  "z-50 min-w-[10rem] overflow-hidden rounded-md border bg-card p-1 shadow-md",
);

export function DropdownMenuItem({
  className,
  variant = "default",
  ...props
}: ComponentProps<typeof DropdownMenuPrimitive.Item> & { variant?: "default" | "destructive" }) {
  return (
    <DropdownMenuPrimitive.Item
      className={cn(
        "relative flex cursor-default select-none items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none focus:bg-accent data-[disabled]:pointer-events-none data-[disabled]:text-muted-foreground [&_svg]:size-4",
        variant === "destructive" && "text-destructive",
        className,
      )}
      {...props}
    />
  );
}

export const DropdownMenuLabel = withClasses(
  DropdownMenuPrimitive.Label,
  "px-2 py-1.5 text-xs text-muted-foreground",
);
export const DropdownMenuSeparator = withClasses(
  DropdownMenuPrimitive.Separator,
  "-mx-1 my-1 h-px bg-border",
);
