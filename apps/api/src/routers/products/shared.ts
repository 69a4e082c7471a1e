import { normalizeLegacyLimits } from "@gatehouse/core";
import type { Product } from "@gatehouse/db";
import type { z } from "zod";
import { toIso } from "../shared.schema.ts";
import type { ZProduct } from "./shared.schema.ts";

export const toProduct = (p: Product): z.infer<typeof ZProduct> => ({
  id: p.id,
  name: p.name,
  isActive: p.isActive,
  renewalPeriodDays: p.renewalPeriodDays,
  // Every row has the typed shape since the entitlements migration; read defensively anyway.
  limits: normalizeLegacyLimits(p.limits),
  createdAt: toIso(p.createdAt),
});
