import { z } from "zod";
import { ZEmail, ZName, ZPassword } from "../shared.schema.ts";
import { ZUser } from "./shared.schema.ts";

export const ZCreateUserInput = z.strictObject({
  email: ZEmail,
  name: ZName,
  password: ZPassword,
  isSystemAdmin: z.boolean().default(false),
});

export const ZCreateUserOutput = ZUser;
