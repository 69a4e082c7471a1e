import { Command as CommandPrimitive } from "cmdk";
import { SearchIcon } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils.ts";
import { withClasses } from "./with-classes.tsx";

export const Command = withClasses(
  CommandPrimitive,
  "flex h-full w-full flex-col overflow-hidden rounded-md",
);

export function CommandInput({
  className,
  ...props
}: ComponentProps<typeof CommandPrimitive.Input>) {
  return (
    <div className="flex items-center gap-2 border-b px-3">
      <SearchIcon className="size-4 shrink-0 opacity-50" aria-hidden="true" />
      <CommandPrimitive.Input
        className={cn(
          "flex h-10 w-full bg-transparent py-3 text-sm outline-none placeholder:text-muted-foreground",
          className,
        )}
        {...props}
      />
    </div>
  );
}

export const CommandList = withClasses(
  CommandPrimitive.List,
  "max-h-72 overflow-y-auto overflow-x-hidden p-1",
);
export const CommandEmpty = withClasses(
  CommandPrimitive.Empty,
  "py-6 text-center text-sm text-muted-foreground",
);
export const CommandLoading = withClasses(
  CommandPrimitive.Loading,
  "py-4 text-center text-sm text-muted-foreground",
);
export const CommandItem = withClasses(
  CommandPrimitive.Item,
  "relative flex cursor-default select-none items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none data-[disabled=true]:pointer-events-none data-[selected=true]:bg-accent data-[disabled=true]:text-muted-foreground",
);
