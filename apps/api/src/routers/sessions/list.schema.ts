import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZSession = z.object({
  id: ZId,
  userId: ZId,
  createdAt: ZDateTime,
  lastSeenAt: ZDateTime,
  expiresAt: ZDateTime,
  absoluteExpiresAt: ZDateTime,
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const ZSessionsListInput = z.strictObject({ userId: ZId.optional() }).default({});

export const ZSessionsListOutput = z.array(ZSession);
