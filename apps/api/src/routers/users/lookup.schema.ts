import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZLookupUserInput = z.strictObject({ email: z.string().trim().min(3).max(254) });
export const ZLookupUserOutput = z
  .object({ id: ZId, email: z.string(), name: z.string() })
  .nullable();
