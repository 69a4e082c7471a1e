import { z } from "zod";
import { zPage, ZId, ZPageInput } from "../shared.schema.ts";
import { ZUser } from "./shared.schema.ts";

export const ZListUsersInput = ZPageInput.extend({
  /** Org admins: members of this organization (must be one of theirs). */
  organizationId: ZId.optional(),
  search: z.string().trim().max(200).optional(),
}).strict();

/**
 * A listed person. The system-admin flag and the last sign-in are platform-wide facts, shown
 * to system admins only (core disclosesPlatformFacts): absent for anyone else.
 */
export const ZListedUser = ZUser.extend({
  isSystemAdmin: ZUser.shape.isSystemAdmin.optional(),
  lastLoginAt: ZUser.shape.lastLoginAt.optional(),
});

export const ZUserPage = zPage(ZListedUser);
