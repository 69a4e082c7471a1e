import { ZOrgRole } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export { ZOrgRole };

export const ZOrganization = z.object({
  id: ZId,
  name: z.string(),
  createdAt: ZDateTime,
  /** The caller's role here; null for system admins who are not members. */
  myRole: ZOrgRole.nullable(),
  teamsCount: z.number().int(),
  membersCount: z.number().int(),
});
