import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZWebhooksDeleteInput = z.strictObject({ webhookId: ZId });
export const ZWebhooksDeleteOutput = z.object({ ok: z.literal(true) });
