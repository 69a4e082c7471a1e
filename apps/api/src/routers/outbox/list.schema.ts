import { MAIL_STATUSES, MAIL_TRANSPORTS } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

/** A mail as the outbox lists it: who, what, and what became of it (never its body). */
export const ZOutboxMail = z.object({
  id: ZId,
  purpose: z.string(),
  to: z.string(),
  subject: z.string(),
  status: z.enum(MAIL_STATUSES),
  /** Null until the worker handled it. */
  transport: z.enum(MAIL_TRANSPORTS).nullable(),
  createdAt: ZDateTime,
  sentAt: ZDateTime.nullable(),
  attempts: z.number().int(),
  /** The last failed attempt's error (the server's reply), cleared once it is sent. */
  lastError: z.string().nullable(),
});

export const ZOutboxListInput = z
  .strictObject({
    pageSize: z.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(1000).optional(),
    /** Sent by tRPC's infinite queries; paging here is always newest first. */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .default({ pageSize: 50 });

export const ZOutboxListOutput = z.object({
  items: z.array(ZOutboxMail),
  nextCursor: z.string().nullable(),
});
