/**
 * A server-side table: rows arrive already filtered, sorted and paged by the API, so
 * TanStack Table only renders and reports header clicks (manualSorting). Sorting state is
 * owned by the caller (the URL), which makes every view bookmarkable.
 */
import {
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table.tsx";
import { cn } from "@/lib/utils.ts";
import { ErrorState } from "./error-state.tsx";

export const dataTableFeatures = tableFeatures({ rowSortingFeature });
export type DataTableColumn<TData extends RowData> = ColumnDef<typeof dataTableFeatures, TData>;

const noSorting: SortingState = [];

export interface DataTableProps<TData extends RowData> {
  caption: string;
  columns: Array<DataTableColumn<TData>>;
  data: TData[] | undefined;
  /** How a row is identified; rows with a string `id` need not say. */
  getRowId?: (row: TData) => string;
  isLoading: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty: ReactNode;
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  /** Extra classes per column id, e.g. to hide secondary columns on narrow screens. */
  columnClassNames?: Partial<Record<string, string>>;
  /** Dim the rows while a new page loads over the previous one. */
  isRefetching?: boolean;
  skeletonRows?: number;
}

const emptyRows: never[] = [];

/**
 * A cell is a render function called here, not a component: pages build their columns on
 * every render, and a new function as a component type would remount the row's cells,
 * dropping keyboard focus from the button that just opened a dialog. (Cells call no hooks;
 * the hooks lint rule would refuse one in a column callback.)
 */
function renderCell<P>(
  template: string | ((props: P) => unknown) | undefined,
  props: P,
): ReactNode {
  return (typeof template === "function" ? template(props) : template) as ReactNode;
}

/** Every list row the API sends carries its `id`; the index would confuse React on re-sort. */
function rowId(row: unknown): string {
  if (typeof row === "object" && row !== null && "id" in row && typeof row.id === "string") {
    return row.id;
  }
  throw new Error("DataTable: a row without a string id needs getRowId");
}

export function DataTable<TData extends RowData>({
  caption,
  columns,
  data,
  getRowId = rowId,
  isLoading,
  error,
  onRetry,
  empty,
  sorting = noSorting,
  onSortingChange,
  columnClassNames = {},
  isRefetching = false,
  skeletonRows = 8,
}: DataTableProps<TData>) {
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: data ?? emptyRows,
    getRowId,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      onSortingChange?.(next);
    },
    manualSorting: true,
    enableSorting: Boolean(onSortingChange),
    enableSortingRemoval: false,
    enableMultiSort: false,
  });

  const headerGroups = table.getHeaderGroups();
  const columnCount = columns.length;

  return (
    <Table aria-busy={isLoading || isRefetching}>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <TableHeader>
        {headerGroups.map((group) => (
          <TableRow key={group.id} className="hover:bg-transparent">
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const canSort = header.column.getCanSort();
              return (
                <TableHead
                  key={header.id}
                  className={columnClassNames[header.column.id]}
                  aria-sort={
                    sorted === "asc"
                      ? "ascending"
                      : sorted === "desc"
                        ? "descending"
                        : canSort
                          ? "none"
                          : undefined
                  }
                >
                  {header.isPlaceholder ? null : canSort ? (
                    <button
                      type="button"
                      className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 uppercase hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
                      onClick={header.column.getToggleSortingHandler()}
                    >
                      <table.FlexRender header={header} />
                      {sorted === "asc" ? (
                        <ArrowUpIcon className="size-3.5" aria-hidden="true" />
                      ) : sorted === "desc" ? (
                        <ArrowDownIcon className="size-3.5" aria-hidden="true" />
                      ) : (
                        <ArrowUpDownIcon className="size-3.5 opacity-40" aria-hidden="true" />
                      )}
                    </button>
                  ) : (
                    <table.FlexRender header={header} />
                  )}
                </TableHead>
              );
            })}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody className={cn(isRefetching && "opacity-60 transition-opacity")}>
        {error ? (
          <TableRow className="hover:bg-transparent">
            <TableCell colSpan={columnCount}>
              <ErrorState error={error} {...(onRetry ? { onRetry } : {})} />
            </TableCell>
          </TableRow>
        ) : isLoading ? (
          Array.from({ length: skeletonRows }, (_, i) => (
            <TableRow
              key={`skeleton-${i}`}
              className="hover:bg-transparent"
              data-testid="skeleton-row"
            >
              {table.getAllLeafColumns().map((column) => (
                <TableCell key={column.id} className={columnClassNames[column.id]}>
                  <Skeleton className="h-4 w-full max-w-40" />
                </TableCell>
              ))}
            </TableRow>
          ))
        ) : table.getRowModel().rows.length === 0 ? (
          <TableRow className="hover:bg-transparent">
            <TableCell colSpan={columnCount}>{empty}</TableCell>
          </TableRow>
        ) : (
          table.getRowModel().rows.map((row) => (
            <TableRow key={row.id}>
              {row.getAllCells().map((cell) => (
                <TableCell key={cell.id} className={columnClassNames[cell.column.id]}>
                  {renderCell(cell.column.columnDef.cell, cell.getContext())}
                </TableCell>
              ))}
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
