import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZTeamListItem } from "./shared.schema.ts";

/** Deepest offset served; beyond it, page with the cursor. */
export const MAX_OFFSET = 1_000_000;

export const ZListTeamsInput = z
  .strictObject({
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(1000).optional(),
    teamId: ZId.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    search: z.string().trim().min(1).max(200).optional(),
    organizationId: ZId.optional(),
    userId: ZId.optional(),
    expired: z.boolean().optional(),
    blocked: z.boolean().optional(),
    sortBy: z.enum(["createdAt", "name", "id", "spend"]).default("createdAt"),
    sortOrder: z.enum(["asc", "desc"]).default("desc"),
  })
  .refine((input) => (input.page - 1) * input.pageSize <= MAX_OFFSET, {
    path: ["page"],
    error: `is too deep for offset paging (more than ${MAX_OFFSET} rows); use the cursor`,
  });
export type TListTeamsInput = z.input<typeof ZListTeamsInput>;

export const ZTeamPage = z.object({
  items: z.array(ZTeamListItem),
  /** Exact up to `totalCapped`; above the cap it is the cap. */
  total: z.number().int(),
  totalCapped: z.boolean(),
  /** Null when the page was requested by cursor. */
  page: z.number().int().nullable(),
  pageSize: z.number().int(),
  totalPages: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type TTeamPage = z.infer<typeof ZTeamPage>;
