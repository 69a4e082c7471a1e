import { z } from "zod";
import { ZName } from "../shared.schema.ts";
import { ZOrganization } from "./shared.schema.ts";

export const ZOrgsCreateInput = z.strictObject({ name: ZName });

export const ZOrgsCreateOutput = ZOrganization;
