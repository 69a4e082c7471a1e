/**
 * The teams table's URL state. Every field is optional and invalid values fall back to
 * the default, so any bookmark or hand-edited URL still opens.
 */
import { ZId } from "@gatehouse/core";
import { z } from "zod";

export const teamSortFields = ["createdAt", "name", "id", "spend"] as const;

export const ZTeamsSearch = z.object({
  page: z.number().int().min(1).optional().catch(undefined),
  pageSize: z.number().int().min(1).max(100).optional().catch(undefined),
  cursor: z.string().min(1).max(1000).optional().catch(undefined),
  /** Team name or id (teams.list `search`). */
  q: z.coerce.string().trim().min(1).max(200).optional().catch(undefined),
  org: ZId.optional().catch(undefined),
  expired: z.boolean().optional().catch(undefined),
  /** teams.list `blocked`: blocked for any reason (manual or expired). */
  blocked: z.boolean().optional().catch(undefined),
  sort: z.enum(teamSortFields).optional().catch(undefined),
  order: z.enum(["asc", "desc"]).optional().catch(undefined),
});
export type TeamsSearch = z.infer<typeof ZTeamsSearch>;

export const teamsDefaults = { page: 1, pageSize: 25, sort: "createdAt", order: "desc" } as const;
