import { z } from "zod";
import { ZMe } from "./shared.schema.ts";

export const ZLoginInput = z.strictObject({
  email: z.string().trim().min(1, { error: "is required" }).max(254),
  password: z.string().min(1, { error: "is required" }).max(256),
});

export const ZLoginOutput = ZMe;
