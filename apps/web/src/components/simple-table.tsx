/**
 * A small read-only table (reports and previews: no sorting, no paging, no query): its
 * header cells and its body rows, as given. Lists fed by a query use DataTable instead.
 */
import type { ComponentProps, ReactNode } from "react";
import { Table, TableBody, TableHeader, TableRow } from "@/components/ui/table.tsx";

export function SimpleTable({
  head,
  children,
  ...table
}: Omit<ComponentProps<typeof Table>, "children"> & {
  /** The header cells (TableHead). */
  head: ReactNode;
  /** The body rows (TableRow). */
  children: ReactNode;
}) {
  return (
    <Table {...table}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">{head}</TableRow>
      </TableHeader>
      <TableBody>{children}</TableBody>
    </Table>
  );
}
