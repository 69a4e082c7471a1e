/**
 * Column builders for the lists: a column is an id, a header and what one row shows, so a
 * page's column list reads as a list of those rather than of TanStack's `({ row })` plumbing.
 */
import type { RowData } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { PersonCell } from "@/components/cells.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { formatDate, formatDateTime } from "@/lib/format.ts";

export function column<T extends RowData>(
  id: string,
  header: string,
  cell: (row: T) => ReactNode,
  /** Sorting: `{ accessorKey, enableSorting }` for a column the API can sort by. */
  options: Omit<DataTableColumn<T>, "id" | "header" | "cell"> = {},
): DataTableColumn<T> {
  return { id, header, cell: ({ row }) => cell(row.original), ...options };
}

/** The row's name in bold, first column of most lists. */
export function nameColumn<T extends { name: string }>(header: string): DataTableColumn<T> {
  return column<T>("name", header, (row) => <span className="font-medium">{row.name}</span>);
}

/** A number lined up with the ones above and below it. */
export function countColumn<T extends RowData>(
  id: string,
  header: string,
  count: (row: T) => number,
): DataTableColumn<T> {
  return column<T>(id, header, (row) => <span className="tabular-nums">{count(row)}</span>);
}

/** A day ("Created", "Added"): `createdAt` unless told otherwise. */
export function dateColumn<T extends { createdAt: string }>(
  id = "created",
  header = "Created",
): DataTableColumn<T> {
  return column<T>(id, header, (row) => formatDate(row.createdAt));
}

/** A moment to the minute ("Last sign-in", "Last used"); "never" style text for null. */
export function dateTimeColumn<T extends RowData>(
  id: string,
  header: string,
  at: (row: T) => string | null | undefined,
): DataTableColumn<T> {
  return column<T>(id, header, (row) => formatDateTime(at(row)));
}

/** Name above email (PersonCell). */
export function personColumn<T extends { name: string; email: string }>(
  header: string,
  emailClassName?: string,
): DataTableColumn<T> {
  return column<T>("name", header, (row) => (
    <PersonCell name={row.name} email={row.email} emailClassName={emailClassName} />
  ));
}
