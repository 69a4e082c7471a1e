/** Schemas shared by several routers (and by the web app's forms). */
import { ZStorableDateTime } from "@gatehouse/core";
import { z } from "zod";

export const ZId = z.uuid({ error: "must be a valid id" });

/** Email, password and name rules live in core, shared with the web app's forms. */
export { ZEmail, ZName, ZPassword } from "@gatehouse/core";

export const ZPageInput = z.object({
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

/** Dates travel as ISO strings: the API has no data transformer (plain JSON on the wire). */
export const ZDateTime = z.iso.datetime();
/** A date a caller sends: also inside the range PostgreSQL stores (see core dates.ts). */
export const ZDateTimeInput = ZStorableDateTime;
export const toIso = (date: Date): string => date.toISOString();
export const toIsoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
