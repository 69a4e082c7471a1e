/**
 * A list screen (products, regions, users, organizations, sessions, service tokens): the
 * page header, then one card holding the list's table, paged when the query answers with
 * an offset page (`onPage` given). The title is the table's caption too.
 */
import type { RowData } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header.tsx";
import {
  PagedQueryTable,
  QueryTable,
  type PagedQueryTableProps,
  type QueryTableProps,
} from "@/components/query-table.tsx";
import { Card } from "@/components/ui/card.tsx";

type WithoutCaption<P> = P extends unknown ? Omit<P, "caption"> : never;

export function ListPage<T extends RowData>({
  title,
  description,
  actions,
  ...table
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
} & WithoutCaption<QueryTableProps<T> | PagedQueryTableProps<T>>) {
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      <Card>
        {"onPage" in table ? (
          <PagedQueryTable caption={title} {...table} />
        ) : (
          <QueryTable caption={title} {...table} />
        )}
      </Card>
    </>
  );
}
