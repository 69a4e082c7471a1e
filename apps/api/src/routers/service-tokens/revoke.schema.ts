import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZServiceTokensRevokeInput = z.strictObject({ serviceTokenId: ZId });
