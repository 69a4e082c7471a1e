import { z } from "zod";
import { ZDateTime, ZEmail, ZId, ZName, ZPageInput, ZPassword } from "../shared.schema.ts";

export const ZUser = z.object({
  id: ZId,
  email: z.string(),
  name: z.string(),
  isSystemAdmin: z.boolean(),
  isActive: z.boolean(),
  createdAt: ZDateTime,
  lastLoginAt: ZDateTime.nullable(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZCreateUserInput = z.strictObject({
  email: ZEmail,
  name: ZName,
  password: ZPassword,
  isSystemAdmin: z.boolean().default(false),
});

export const ZUpdateUserInput = z.strictObject({
  userId: ZId,
  name: ZName.optional(),
  email: ZEmail.optional(),
  password: ZPassword.optional(),
  /** Required to change one's own password: a stolen session alone must not lock the owner out. */
  currentPassword: z.string().min(1).max(256).optional(),
  isSystemAdmin: z.boolean().optional(),
  isActive: z.boolean().optional(),
});

export const ZListUsersInput = ZPageInput.extend({
  /** Org admins: members of this organization (must be one of theirs). */
  organizationId: ZId.optional(),
  search: z.string().trim().max(200).optional(),
}).strict();

export const ZUserPage = z.object({
  items: z.array(ZUser),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  totalPages: z.number().int(),
});
