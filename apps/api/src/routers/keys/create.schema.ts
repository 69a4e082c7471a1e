import { ZKeyName } from "@gatehouse/core";
import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZKey } from "./shared.schema.ts";

export const ZCreateKeyInput = z.strictObject({ teamId: ZId, name: ZKeyName, regionId: ZId });
export const ZCreateKeyOutput = z.object({ key: ZKey, secret: z.string() });
