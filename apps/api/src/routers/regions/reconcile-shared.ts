/**
 * What the reconcile procedures share: the region they name, the holder they take its lease
 * as, and how a busy region or an unreadable proxy is answered.
 */
import { DomainError, notFound } from "@gatehouse/core";
import { RegionBusyError, regionToReconcile } from "@gatehouse/db";
import { isLiteLLMError, type LiteLLMClient } from "@gatehouse/litellm";
import type { Context } from "../../context.ts";
import { regionClientsFor } from "../../litellm/region-clients.ts";
import { openingKeys } from "../../secrets.ts";

export async function loadRegion(
  ctx: Context,
  regionId: string,
): Promise<{ id: string; name: string }> {
  const region = await regionToReconcile(ctx.db, regionId);
  if (!region) throw notFound("Region", { field: "regionId" });
  return region;
}

export function holderOf(ctx: Context): string {
  return `api:${ctx.requestId}`;
}

/** A proxy that cannot be read is the caller's 503, with what LiteLLM said. */
export function mapFailure(error: unknown, regionName: string): never {
  if (error instanceof RegionBusyError)
    throw new DomainError(
      "CONFLICT",
      `Region ${regionName} is being reconciled right now; try again shortly`,
    );
  if (isLiteLLMError(error)) {
    throw new DomainError(
      "UNAVAILABLE",
      `LiteLLM (region ${regionName}) could not be read: ${error.kind}/${error.reason}`,
    );
  }
  throw error;
}

/** Runs `work` against the named region's proxy, its failures answered as mapFailure says. */
export async function onRegionProxy<T>(
  ctx: Context,
  regionId: string,
  work: (region: { id: string; name: string }, client: LiteLLMClient) => Promise<T>,
): Promise<T> {
  const region = await loadRegion(ctx, regionId);
  const client = await regionClientsFor(ctx.db, openingKeys(ctx.config)).get(region.id);
  try {
    return await work(region, client);
  } catch (error) {
    return mapFailure(error, region.name);
  }
}
