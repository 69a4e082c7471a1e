import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZSessionsRevokeInput = z.strictObject({ sessionId: ZId });

export const ZSessionsRevokeOutput = z.object({ ok: z.literal(true) });
