/** Audit log filters live in the URL; paging is by cursor ("Load more"). */
import { ZId } from "@gatehouse/core";
import { z } from "zod";

const optionalText = (max: number) =>
  z.coerce.string().trim().min(1).max(max).optional().catch(undefined);

export const ZAuditSearch = z.object({
  action: optionalText(100),
  actorId: ZId.optional().catch(undefined),
  targetType: optionalText(50),
  targetId: optionalText(100),
  org: ZId.optional().catch(undefined),
  from: z.iso.datetime().optional().catch(undefined),
  to: z.iso.datetime().optional().catch(undefined),
});
export type AuditSearch = z.infer<typeof ZAuditSearch>;
