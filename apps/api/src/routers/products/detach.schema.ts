import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZTeamProduct } from "./shared.schema.ts";

export const ZProductsDetachInput = z.strictObject({ teamId: ZId, productId: ZId });

export const ZProductsDetachOutput = ZTeamProduct;
