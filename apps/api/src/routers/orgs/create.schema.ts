import { z } from "zod";
import { ZName } from "../shared.schema.ts";

export const ZOrgsCreateInput = z.strictObject({ name: ZName });
