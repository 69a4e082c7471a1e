import { z } from "zod";
import { ZServiceToken } from "./shared.schema.ts";

export const ZServiceTokensListOutput = z.array(ZServiceToken);
