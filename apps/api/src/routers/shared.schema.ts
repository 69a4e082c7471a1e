/** Schemas shared by several routers (and by the web app's forms). */
import { z } from "zod";

export const ZId = z.uuid({ error: "must be a valid id" });

export const ZEmail = z
  .email({ error: "must be a valid email address" })
  .max(254)
  .transform((email) => email.trim().toLowerCase());

export const ZPassword = z
  .string()
  .min(12, { error: "must be at least 12 characters" })
  .max(256, { error: "must be at most 256 characters" });

export const ZName = z
  .string()
  .trim()
  .min(1, { error: "must not be empty" })
  .max(200, { error: "must be at most 200 characters" });

export const ZPageInput = z.object({
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

/** Dates travel as ISO strings: the API has no data transformer (plain JSON on the wire). */
export const ZDateTime = z.iso.datetime();
export const toIso = (date: Date): string => date.toISOString();
export const toIsoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
