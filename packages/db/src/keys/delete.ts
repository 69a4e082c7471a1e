/** Removing a key's row (keys.delete, and keys.create rolling back a key its proxy refused). */
import type { Prisma } from "../generated/prisma/client.ts";

/** The deleted key as its proxy delete job and audit event need it. */
export interface DeletedApiKey {
  id: string;
  teamId: string;
  name: string;
  regionId: string;
  /** The key's LiteLLM id (null: never made on its proxy). */
  litellmKeyId: string | null;
  /** The key's region's name, read only when the key has a LiteLLM id. */
  regionName: string | null;
  /** Its retiring secrets' LiteLLM ids (a rotation's overlap): to be deleted on the proxy too. */
  retiringTokens: string[];
}

/** Deletes the key and returns what it was, or null when there is no such key. */
export async function deleteApiKey(
  tx: Prisma.TransactionClient,
  keyId: string,
): Promise<DeletedApiKey | null> {
  const deleted = await tx.apiKey.findUnique({ where: { id: keyId } });
  if (!deleted) return null;
  const retiring = await tx.apiKeySecret.findMany({
    where: { apiKeyId: keyId },
    select: { litellmKeyId: true },
  });
  await tx.apiKey.delete({ where: { id: keyId } });
  const region = deleted.litellmKeyId
    ? await tx.region.findUniqueOrThrow({ where: { id: deleted.regionId }, select: { name: true } })
    : null;
  return {
    id: deleted.id,
    teamId: deleted.teamId,
    name: deleted.name,
    regionId: deleted.regionId,
    litellmKeyId: deleted.litellmKeyId,
    regionName: region?.name ?? null,
    retiringTokens: retiring.map((r) => r.litellmKeyId),
  };
}

/** Deletes the key's row if it is still there (a rollback: it may be gone already). */
export async function removeApiKeyRow(tx: Prisma.TransactionClient, keyId: string): Promise<void> {
  await tx.apiKey.deleteMany({ where: { id: keyId } });
}
