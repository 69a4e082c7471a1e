import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZOrgsRemoveMemberInput = z.strictObject({ organizationId: ZId, userId: ZId });

export const ZOrgsRemoveMemberOutput = z.object({ ok: z.literal(true) });
