import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZIdentityProvidersDeleteInput = z.strictObject({ providerId: ZId });

export const ZIdentityProvidersDeleteOutput = z.object({ ok: z.literal(true) });
