import { z } from "zod";

export const ZTeamsDeleteOutput = z.object({ ok: z.literal(true) });
