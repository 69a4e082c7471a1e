import type { ServiceTokenRecord } from "@gatehouse/db";
import type { z } from "zod";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import type { ZServiceToken } from "./shared.schema.ts";

export const toOutput = (t: ServiceTokenRecord): z.infer<typeof ZServiceToken> => ({
  id: t.id,
  name: t.name,
  scope: t.scope === "ADMIN" ? "admin" : "organization",
  organizationId: t.organizationId,
  createdAt: toIso(t.createdAt),
  lastUsedAt: toIsoOrNull(t.lastUsedAt),
  revokedAt: toIsoOrNull(t.revokedAt),
  createdBy: t.createdBy,
});
