import type { ComponentProps } from "react";
import { cn } from "@/lib/utils.ts";
import { withClasses } from "./with-classes.tsx";

/** The scroll wrapper keeps wide tables usable on a 400px screen without breaking the page. */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="relative w-full overflow-x-auto">
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </div>
  );
}

export const TableHeader = withClasses("thead", "[&_tr]:border-b");
export const TableBody = withClasses("tbody", "[&_tr:last-child]:border-0");
export const TableRow = withClasses("tr", "border-b transition-colors hover:bg-muted/50");
export const TableHead = withClasses(
  "th",
  "h-10 whitespace-nowrap px-3 text-left align-middle text-xs font-medium uppercase tracking-wide text-muted-foreground",
);
export const TableCell = withClasses("td", "px-3 py-2.5 align-middle");
export const TableCaption = withClasses("caption", "mt-3 text-sm text-muted-foreground");
