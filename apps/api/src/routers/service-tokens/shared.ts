import type { z } from "zod";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import type { ZServiceToken } from "./shared.schema.ts";

export type Row = {
  id: string;
  name: string;
  scope: "ADMIN" | "ORGANIZATION";
  organizationId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { id: string; email: string; name: string } | null;
};

export const toOutput = (t: Row): z.infer<typeof ZServiceToken> => ({
  id: t.id,
  name: t.name,
  scope: t.scope === "ADMIN" ? "admin" : "organization",
  organizationId: t.organizationId,
  createdAt: toIso(t.createdAt),
  lastUsedAt: toIsoOrNull(t.lastUsedAt),
  revokedAt: toIsoOrNull(t.revokedAt),
  createdBy: t.createdBy,
});

export const select = {
  id: true,
  name: true,
  scope: true,
  organizationId: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, email: true, name: true } },
} as const;
