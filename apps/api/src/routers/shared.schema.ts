/** Schemas shared by several routers (and by the web app's forms). */
import { ZStorableDateTime } from "@gatehouse/core";
import { z } from "zod";

/** Ids, email, password and name rules live in core, shared with the web app's forms. */
export { ZEmail, ZId, ZName, ZPassword } from "@gatehouse/core";

export const ZPageInput = z.object({
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

/** The one envelope of every paged list (a list may add fields, e.g. a cursor). */
export const zPage = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    totalPages: z.number().int(),
  });

/** Builds that envelope from one page of items and the total count. */
export function pageOf<T>(
  items: T[],
  total: number,
  input: { page: number; pageSize: number },
): { items: T[]; total: number; page: number; pageSize: number; totalPages: number } {
  return {
    items,
    total,
    page: input.page,
    pageSize: input.pageSize,
    totalPages: Math.ceil(total / input.pageSize),
  };
}

/** Dates travel as ISO strings: the API has no data transformer (plain JSON on the wire). */
/** An object of whole-number counts, one per name (progress, tallies). */
export const zCounts = <K extends string>(...names: K[]) =>
  z.object(Object.fromEntries(names.map((n) => [n, z.number().int()])) as Record<K, z.ZodNumber>);

export const ZDateTime = z.iso.datetime();
/** A date a caller sends: also inside the range PostgreSQL stores (see core dates.ts). */
export const ZDateTimeInput = ZStorableDateTime;
export const toIso = (date: Date): string => date.toISOString();
export const toIsoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** A team's organization as the API shows it: both columns, or none. */
export const organizationRefOf = (row: {
  organizationId: string | null;
  organizationName: string | null;
}): { id: string; name: string } | null =>
  row.organizationId && row.organizationName
    ? { id: row.organizationId, name: row.organizationName }
    : null;
