/**
 * The instants Gatehouse accepts as input. PostgreSQL's timestamptz has no year 0 and
 * ends in year 294276, while an ISO string (and a JS Date) also spells year 0000 and
 * far-off years: such a value passed validation and failed in the query as a 500. Every
 * date input (procedure fields and cursor values alike) must lie in this one range, which
 * PostgreSQL stores and which a control plane has use for.
 */
import { z } from "zod";

export const STORABLE_DATE_MIN = new Date("1970-01-01T00:00:00.000Z");
export const STORABLE_DATE_MAX = new Date("9999-12-31T23:59:59.999Z");

export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return (
    !Number.isNaN(time) &&
    time >= STORABLE_DATE_MIN.getTime() &&
    time <= STORABLE_DATE_MAX.getTime()
  );
}

/** An ISO date-time in UTC ("...Z") inside the storable range, as a string. */
export const ZStorableDateTime = z.iso
  .datetime({ error: "must be an ISO date-time in UTC, e.g. 2026-01-31T12:00:00Z" })
  .refine((value) => isStorableDate(new Date(value)), {
    error: "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
  });
