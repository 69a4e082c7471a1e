import { z } from "zod";

export const ZTeamsRemoveMemberOutput = z.object({ ok: z.literal(true) });
