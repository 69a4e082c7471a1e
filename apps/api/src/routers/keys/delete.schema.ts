import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZDeleteKeyInput = z.strictObject({ keyId: ZId });
export const ZDeleteKeyOutput = z.object({ ok: z.literal(true) });
