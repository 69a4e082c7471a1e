import { ZProductAttachmentStatus, ZProductLimits } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZProduct = z.object({
  id: ZId,
  name: z.string(),
  isActive: z.boolean(),
  renewalPeriodDays: z.number().int(),
  limits: ZProductLimits,
  createdAt: ZDateTime,
});

export const ZTeamProduct = z.object({
  id: ZId,
  teamId: ZId,
  productId: ZId,
  status: ZProductAttachmentStatus,
  createdAt: ZDateTime,
});
