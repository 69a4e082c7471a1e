import { z } from "zod";
import { ZId, ZName } from "../shared.schema.ts";
import { ZServiceToken } from "./shared.schema.ts";

export const ZCreateServiceTokenInput = z.discriminatedUnion("scope", [
  z.strictObject({ name: ZName, scope: z.literal("admin") }),
  z.strictObject({ name: ZName, scope: z.literal("organization"), organizationId: ZId }),
]);

export const ZServiceTokensCreateOutput = ZServiceToken.extend({ token: z.string() });
