import { ZServiceTokenScope } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

export const ZServiceToken = z.object({
  id: ZId,
  name: z.string(),
  scope: ZServiceTokenScope,
  organizationId: ZId.nullable(),
  createdAt: ZDateTime,
  /** Written at most once a minute per token. */
  lastUsedAt: ZDateTime.nullable(),
  revokedAt: ZDateTime.nullable(),
  /** The person whose rights bound the token's; null for a token without one (it does not work). */
  createdBy: z.object({ id: ZId, email: z.string(), name: z.string() }).nullable(),
});
