import { ZOrgRole, ZTeamRole } from "@gatehouse/core";
import { z } from "zod";
import { ZEmail, ZId } from "../shared.schema.ts";
import { ZInvitation } from "./shared.schema.ts";

export const ZInvitationsCreateInput = z.strictObject({
  email: ZEmail,
  organizationId: ZId.optional(),
  /** Default MEMBER when an organization is named (or implied by the team). */
  orgRole: ZOrgRole.optional(),
  teamId: ZId.optional(),
  /** Default MEMBER when a team is named. */
  teamRole: ZTeamRole.optional(),
});

export const ZInvitationsCreateOutput = ZInvitation;
