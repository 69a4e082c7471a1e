import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZOrgRole } from "./shared.schema.ts";

export const ZOrgMembership = z.object({ organizationId: ZId, userId: ZId, role: ZOrgRole });

export const ZOrgsAddMemberInput = z.strictObject({
  organizationId: ZId,
  userId: ZId,
  role: ZOrgRole.default("MEMBER"),
});

export const ZOrgsAddMemberOutput = ZOrgMembership;
