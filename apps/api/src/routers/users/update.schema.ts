import { z } from "zod";
import { ZEmail, ZId, ZName, ZPassword } from "../shared.schema.ts";
import { ZUser } from "./shared.schema.ts";

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

export const ZUpdateUserOutput = ZUser;
