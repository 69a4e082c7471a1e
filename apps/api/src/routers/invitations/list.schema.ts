import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZInvitation } from "./shared.schema.ts";

export const ZInvitationsListInput = z
  .strictObject({
    /** Its admins: every pending invitation of the organization (its teams' included). */
    organizationId: ZId.optional(),
    /** Those who may invite to the team: its pending invitations. */
    teamId: ZId.optional(),
    cursor: z.string().max(512).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });

export const ZInvitationsListOutput = z.object({
  items: z.array(ZInvitation),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
