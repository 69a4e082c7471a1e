import { z } from "zod";
import { ZEmail } from "../shared.schema.ts";

export const ZRequestPasswordResetInput = z.strictObject({ email: ZEmail });

/** The same answer whether or not the account exists. */
export const ZRequestPasswordResetOutput = z.object({ ok: z.literal(true) });
