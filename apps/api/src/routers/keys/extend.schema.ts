import { z } from "zod";
import { ZDateTimeInput, ZId } from "../shared.schema.ts";
export { ZKeyDetail as ZKeyExtendOutput } from "./get.schema.ts";

export const ZKeyExtendInput = z.strictObject({ keyId: ZId, expiresAt: ZDateTimeInput });
