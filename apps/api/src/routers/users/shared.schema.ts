import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

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
