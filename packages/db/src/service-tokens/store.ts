/** Service tokens as the admin screens see them: never the hash, always whose token it is. */
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export interface ServiceTokenRecord {
  id: string;
  name: string;
  scope: "ADMIN" | "ORGANIZATION";
  organizationId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { id: string; email: string; name: string } | null;
}

const select = {
  id: true,
  name: true,
  scope: true,
  organizationId: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, email: true, name: true } },
} as const;

export function listServiceTokens(db: Pick<Database, "prisma">): Promise<ServiceTokenRecord[]> {
  return db.prisma.serviceToken.findMany({ select, orderBy: { createdAt: "desc" }, take: 500 });
}

export function findServiceToken(tx: Tx, tokenId: string): Promise<ServiceTokenRecord | null> {
  return tx.serviceToken.findUnique({ where: { id: tokenId }, select });
}

/** Who created this token (null: no creator, or no such token). */
export async function serviceTokenCreatorId(tx: Tx, tokenId: string): Promise<string | null> {
  const token = await tx.serviceToken.findUnique({
    where: { id: tokenId },
    select: { createdById: true },
  });
  return token?.createdById ?? null;
}

export interface NewServiceToken {
  name: string;
  tokenHash: string;
  scope: "ADMIN" | "ORGANIZATION";
  organizationId: string | null;
  createdById: string | null;
  createdAt: Date;
}

export function insertServiceToken(tx: Tx, token: NewServiceToken): Promise<ServiceTokenRecord> {
  return tx.serviceToken.create({ data: token, select });
}

export function revokeServiceToken(
  tx: Tx,
  tokenId: string,
  now: Date,
): Promise<ServiceTokenRecord> {
  return tx.serviceToken.update({ where: { id: tokenId }, data: { revokedAt: now }, select });
}
