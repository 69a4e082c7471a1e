import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZServiceToken } from "./shared.schema.ts";

export const ZServiceTokensRevokeInput = z.strictObject({ serviceTokenId: ZId });

export const ZServiceTokensRevokeOutput = ZServiceToken;
