import { ZProductLimits } from "@gatehouse/core";
import { z } from "zod";
import { ZName } from "../shared.schema.ts";
import { ZProduct } from "./shared.schema.ts";

export const ZLimits = ZProductLimits.default(ZProductLimits.parse({}));

export const ZProductsCreateInput = z.strictObject({
  name: ZName,
  isActive: z.boolean().default(true),
  renewalPeriodDays: z.number().int().min(1).max(3660).default(30),
  limits: ZLimits,
});

export const ZProductsCreateOutput = ZProduct;
