import { z } from "zod";

export const ZLogoutOutput = z.object({ ok: z.literal(true) });
