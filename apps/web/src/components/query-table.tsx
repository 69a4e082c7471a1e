/**
 * The list-page scaffolding every screen repeated: a DataTable fed by a query (loading,
 * refetching, error with retry), optionally a search box above it and page controls below
 * it for an offset page (`items`, `total`, `page`, `pageSize`).
 */
import type { RowData } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { DataTable, type DataTableColumn, type DataTableProps } from "@/components/data-table.tsx";
import { Pagination } from "@/components/pagination.tsx";
import { SearchInput } from "@/components/search-input.tsx";

/** What the table reads from a TanStack query result. */
export interface QueryState<TData> {
  data: TData | undefined;
  isPending: boolean;
  isPlaceholderData?: boolean;
  error: unknown;
  refetch: () => unknown;
}

type TableProps<T extends RowData> = Omit<
  DataTableProps<T>,
  "data" | "isLoading" | "error" | "onRetry" | "isRefetching"
>;

function fromQuery<TData>(query: QueryState<TData>) {
  return {
    isLoading: query.isPending,
    isRefetching: Boolean(query.isPlaceholderData),
    error: query.error,
    onRetry: () => void query.refetch(),
  };
}

/** A whole list in one answer (regions, products, sessions, service tokens). */
export type QueryTableProps<T extends RowData> = TableProps<T> & { query: QueryState<T[]> };

export function QueryTable<T extends RowData>({ query, ...table }: QueryTableProps<T>) {
  return <DataTable {...table} {...fromQuery(query)} data={query.data} />;
}

export interface OffsetPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type PagedQueryTableProps<T extends RowData> = TableProps<T> & {
  query: QueryState<OffsetPage<T>>;
  /** "teams", "members": what the page controls count. */
  pageLabel: string;
  onPage: (page: number) => void;
  /** A search box above the table; its label says what it searches, by default `Search ${pageLabel}`. */
  search?: {
    id: string;
    label?: string;
    placeholder: string;
    value: string | undefined;
    onChange: (value: string | undefined) => void;
  };
  /** False when the owner shows the error itself (e.g. a "not allowed" note). */
  showErrors?: boolean;
  /** Page controls only when there is more than one page (a section of a page). */
  compact?: boolean;
};

export function PagedQueryTable<T extends RowData>({
  query,
  pageLabel,
  onPage,
  search,
  showErrors = true,
  compact = false,
  ...table
}: PagedQueryTableProps<T>) {
  const data = query.data;
  const totalPages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <>
      {search ? (
        <div className="border-b p-3">
          <SearchInput label={`Search ${pageLabel}`} {...search} hideLabel className="max-w-sm" />
        </div>
      ) : null}
      <DataTable
        {...table}
        {...fromQuery(query)}
        {...(showErrors ? {} : { error: null })}
        data={data?.items}
      />
      {data && data.total > (compact ? data.pageSize : 0) ? (
        <Pagination
          label={pageLabel}
          page={data.page}
          totalPages={totalPages}
          total={data.total}
          pageSize={data.pageSize}
          hasNext={data.page < totalPages}
          onFirst={() => onPage(1)}
          onPrevious={data.page > 1 ? () => onPage(data.page - 1) : null}
          onNext={() => onPage(data.page + 1)}
        />
      ) : null}
    </>
  );
}

/** The trailing column of row actions; its header is for screen readers only. */
export function actionsColumn<T extends RowData>(cell: (row: T) => ReactNode): DataTableColumn<T> {
  return {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row }) => cell(row.original),
  };
}
