import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZTeamProduct } from "./shared.schema.ts";

export const ZProductsAttachInput = z.strictObject({ teamId: ZId, productId: ZId });

export const ZProductsAttachOutput = ZTeamProduct;
