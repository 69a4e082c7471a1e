/**
 * Opaque keyset cursors: the sort column's value and the id of the last row seen, bound
 * to the sort they were made for. A cursor used with another sort is refused (it would
 * silently skip or repeat rows).
 */
import { isStorableDate } from "./dates.ts";
import { badRequest } from "./errors.ts";

export interface KeysetCursor {
  sortBy: string;
  sortOrder: "asc" | "desc";
  /** The sort column's value of the last row, as text (ISO date, name, or id). */
  value: string;
  id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.sortBy, cursor.sortOrder, cursor.value, cursor.id]),
  ).toString("base64url");
}

export function decodeCursor(
  raw: string,
  expected: { sortBy: string; sortOrder: "asc" | "desc" },
): KeysetCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw badRequest("Invalid cursor", { field: "cursor" });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    !parsed.every((part) => typeof part === "string")
  ) {
    throw badRequest("Invalid cursor", { field: "cursor" });
  }
  const [sortBy, sortOrder, value, id] = parsed as [string, string, string, string];
  if (sortBy !== expected.sortBy || sortOrder !== expected.sortOrder) {
    throw badRequest("This cursor belongs to another sort order; start again from page 1", {
      field: "cursor",
    });
  }
  // The value and id go into SQL casts (uuid, timestamptz) and Date objects: a forged
  // cursor must be a 400 here, not a database error later.
  if (!UUID.test(id) || !valueFits(sortBy, value))
    throw badRequest("Invalid cursor", { field: "cursor" });
  return { sortBy, sortOrder, value, id };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function valueFits(sortBy: string, value: string): boolean {
  // An instant PostgreSQL stores (year 0000 parses in JS and fails in SQL).
  if (sortBy === "createdAt") return ISO_INSTANT.test(value) && isStorableDate(new Date(value));
  if (sortBy === "id") return UUID.test(value);
  // Spend: a decimal PostgreSQL's numeric accepts (the team row's spend_usd as text).
  if (sortBy === "spend") return /^-?\d{1,20}(\.\d{1,12})?$/.test(value);
  // Names: any text PostgreSQL can store (no NUL, valid Unicode).
  return value.length <= 1000 && !value.includes("\u0000") && !/\p{Cs}/u.test(value);
}
