import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZKeyBlockInput = z.strictObject({ keyId: ZId });
export { ZKeyBlockOutput } from "./shared.schema.ts";
