import { ZOrgRole, ZTeamRole } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

const ZRef = z.object({ id: ZId, name: z.string() });

/** An invitation as its managers see it: never its token. */
export const ZInvitation = z.object({
  id: ZId,
  email: z.string(),
  organization: ZRef.nullable(),
  orgRole: ZOrgRole.nullable(),
  team: ZRef.nullable(),
  teamRole: ZTeamRole.nullable(),
  invitedBy: ZRef.nullable(),
  createdAt: ZDateTime,
  expiresAt: ZDateTime,
  status: z.enum(["pending", "expired", "accepted", "revoked"]),
});
export type TInvitation = z.infer<typeof ZInvitation>;

export const ZInvitationIdInput = z.strictObject({ invitationId: ZId });
