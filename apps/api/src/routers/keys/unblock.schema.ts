import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZKeyUnblockInput = z.strictObject({ keyId: ZId });
export { ZKeyBlockOutput } from "./shared.schema.ts";
