import { z } from "zod";
import { ZDateTime, ZDateTimeInput, ZId } from "../shared.schema.ts";

export const ZAuditEvent = z.object({
  id: ZId,
  action: z.string(),
  actorUserId: ZId.nullable(),
  actorServiceTokenId: ZId.nullable(),
  actorEmail: z.string().nullable(),
  targetType: z.string(),
  targetId: z.string(),
  organizationId: ZId.nullable(),
  details: z.unknown(),
  requestId: z.string().nullable(),
  createdAt: ZDateTime,
});

export const ZAuditListInput = z
  .strictObject({
    actorId: ZId.optional(),
    action: z.string().trim().min(1).max(100).optional(),
    targetType: z.string().trim().min(1).max(50).optional(),
    targetId: z.string().trim().min(1).max(100).optional(),
    organizationId: ZId.optional(),
    from: ZDateTimeInput.optional(),
    to: ZDateTimeInput.optional(),
    pageSize: z.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(1000).optional(),
    /** Sent by tRPC's infinite queries; paging here is always newest first. */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .refine((i) => !i.from || !i.to || i.from <= i.to, {
    path: ["to"],
    error: "must not be before from",
  })
  .default({ pageSize: 50 });

export const ZAuditListOutput = z.object({
  items: z.array(ZAuditEvent),
  nextCursor: z.string().nullable(),
});
