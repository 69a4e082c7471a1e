import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZRemoveMemberInput = z.strictObject({ teamId: ZId, userId: ZId });
export const ZTeamsRemoveMemberOutput = z.object({ ok: z.literal(true) });
