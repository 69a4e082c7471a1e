import { ZProductLimits } from "@gatehouse/core";
import { z } from "zod";
import { ZId, ZName } from "../shared.schema.ts";
import { ZProduct } from "./shared.schema.ts";

export const ZProductsUpdateInput = z.strictObject({
  productId: ZId,
  name: ZName.optional(),
  isActive: z.boolean().optional(),
  /** Replaces the limits whole (a missing field is unlimited). */
  limits: ZProductLimits.optional(),
});

export const ZProductsUpdateOutput = ZProduct;
