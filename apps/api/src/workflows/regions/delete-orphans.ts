/**
 * Deleting a region's orphan keys (proxy keys that carry Gatehouse's metadata but that
 * Gatehouse does not know): find them, either among the tokens the caller names (only those
 * still orphans now) or by scanning the region under its reconciliation lease, then queue one
 * delete job each with the audit event in one transaction.
 */
import crypto from "node:crypto";
import { gatehouseKeyIdOf } from "@gatehouse/core";
import {
  enqueueJobs,
  knownKeyTokens,
  reconcileLease,
  transaction,
  type Database,
  REGION_LEASE_MS,
  RegionBusyError,
} from "@gatehouse/db";
import type { LiteLLMClient } from "@gatehouse/litellm";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import { orphanDeleteJob } from "../../reconcile/run.ts";
import { scanRegion } from "../../reconcile/scan.ts";

interface Orphan {
  token: string;
  gatehouseKeyId: string;
}

/**
 * Proxy keys that carry Gatehouse's metadata but that Gatehouse does not know, among
 * `tokens`: each is looked up on the proxy (gone already: skipped) and in Gatehouse.
 */
async function confirmOrphans(
  db: Database,
  client: LiteLLMClient,
  tokens: readonly string[],
): Promise<Orphan[]> {
  const unique = [...new Set(tokens)];
  const known = await knownKeyTokens(db, unique);
  const confirmed: Orphan[] = [];
  for (const token of unique) {
    if (known.has(token)) continue;
    const info = await client.keyInfoIfPresent(token);
    const gatehouseKeyId = info ? gatehouseKeyIdOf(info.metadata) : null;
    if (gatehouseKeyId !== null) confirmed.push({ token, gatehouseKeyId });
  }
  return confirmed;
}

/** Every orphan the region's proxy holds, by a scan under the region's reconciliation lease. */
async function scanForOrphans(
  db: Database,
  client: LiteLLMClient,
  region: { id: string; name: string },
  holder: string,
): Promise<Orphan[]> {
  const lease = reconcileLease(db, { regionId: region.id, holder, leaseMs: REGION_LEASE_MS });
  if (!(await lease.claim(null))) throw new RegionBusyError("busy");
  const orphans: Orphan[] = [];
  try {
    // Bounded by the number of orphans (a few tokens each), not by the region's size.
    await scanRegion({ db, client }, region, {
      examplesPerKind: 0,
      onDifferences: (differences) => {
        for (const d of differences)
          if (d.kind === "orphan_key")
            orphans.push({ token: d.token, gatehouseKeyId: d.gatehouseKeyId });
        return Promise.resolve();
      },
    });
  } finally {
    await lease.release();
  }
  return orphans;
}

/**
 * Queues the deletion of the region's orphan keys (among `keyTokens` when given). Throws
 * RegionBusyError while the region is being reconciled, and the proxy's errors as they are.
 */
export async function deleteOrphans(
  ctx: Context,
  request: {
    region: { id: string; name: string };
    client: LiteLLMClient;
    holder: string;
    keyTokens?: readonly string[] | undefined;
  },
): Promise<{ queued: number; groupKey: string | null }> {
  const { region, client } = request;
  const groupKey = `orphans:${region.id}:${crypto.randomUUID()}`;
  const orphans = request.keyTokens
    ? // Only what is still an orphan now: a token Gatehouse knows, or a key without our
      // metadata, is never deleted by this call.
      await confirmOrphans(ctx.db, client, request.keyTokens)
    : await scanForOrphans(ctx.db, client, region, request.holder);
  await transaction(ctx.db, async (tx) => {
    await enqueueJobs(
      tx,
      orphans.map((o) => orphanDeleteJob(region.id, groupKey, o)),
    );
    await writeAudit(tx, ctx, {
      action: "region.deleteOrphanKeys",
      targetType: "region",
      targetId: region.id,
      details: {
        count: orphans.length,
        // Prefixes only: the audit trail names the keys without their full ids.
        keyTokenPrefixes: orphans.slice(0, 100).map((o) => o.token.slice(0, 12)),
        gatehouseKeyIds: orphans.slice(0, 100).map((o) => o.gatehouseKeyId),
        groupKey,
      },
    });
  });
  return { queued: orphans.length, groupKey: orphans.length ? groupKey : null };
}
