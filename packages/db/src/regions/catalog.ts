/**
 * Regions (one LiteLLM proxy each). The master key is write-only here: it is stored for the
 * worker (`findRegionConnection`) and never part of what the other reads return.
 */
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

/** The only columns of a region a procedure may read for output. */
const regionPublicSelect = {
  id: true,
  name: true,
  litellmBaseUrl: true,
  isActive: true,
  createdAt: true,
} as const;

export interface RegionRecord {
  id: string;
  name: string;
  litellmBaseUrl: string;
  isActive: boolean;
  createdAt: Date;
}

export interface RegionListRow extends RegionRecord {
  /** The last reconciliation (null: never ran). */
  reconciliation: {
    finishedAt: Date | null;
    outcome: string | null;
    differenceCount: number;
  } | null;
}

/** Regions by name, each with its last reconciliation; active ones only unless `all`. */
export function listRegions(
  db: Pick<Database, "prisma">,
  options: { all: boolean },
): Promise<RegionListRow[]> {
  return db.prisma.region.findMany({
    where: options.all ? {} : { isActive: true },
    select: {
      ...regionPublicSelect,
      reconciliation: { select: { finishedAt: true, outcome: true, differenceCount: true } },
    },
    orderBy: { name: "asc" },
  });
}

export async function findRegionIdByName(tx: Tx, name: string): Promise<string | null> {
  const region = await tx.region.findUnique({ where: { name }, select: { id: true } });
  return region?.id ?? null;
}

export function findRegionByName(
  db: Pick<Database, "prisma">,
  name: string,
): Promise<{ id: string; name: string } | null> {
  return db.prisma.region.findUnique({ where: { name }, select: { id: true, name: true } });
}

export function findRegion(tx: Tx, regionId: string): Promise<RegionRecord | null> {
  return tx.region.findUnique({ where: { id: regionId }, select: regionPublicSelect });
}

/** A region's keys (any state): a region with keys keeps its name. */
export function countRegionKeys(tx: Tx, regionId: string): Promise<number> {
  return tx.apiKey.count({ where: { regionId } });
}

export interface NewRegion {
  /** Chosen by the caller: the sealed master key is bound to it. */
  id: string;
  name: string;
  litellmBaseUrl: string;
  /** Sealed. */
  litellmMasterKey: string;
  isActive: boolean;
  createdAt: Date;
}

export function insertRegion(tx: Tx, region: NewRegion): Promise<RegionRecord> {
  return tx.region.create({ data: region, select: regionPublicSelect });
}

export interface RegionChanges {
  name?: string | undefined;
  litellmBaseUrl?: string | undefined;
  /** Sealed. */
  litellmMasterKey?: string | undefined;
  isActive?: boolean | undefined;
}

/** Writes the given fields (an undefined one stays as it is). */
export function updateRegionFields(
  tx: Tx,
  regionId: string,
  changes: RegionChanges,
): Promise<RegionRecord> {
  return tx.region.update({
    where: { id: regionId },
    data: {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.litellmBaseUrl !== undefined ? { litellmBaseUrl: changes.litellmBaseUrl } : {}),
      ...(changes.litellmMasterKey !== undefined
        ? { litellmMasterKey: changes.litellmMasterKey }
        : {}),
      ...(changes.isActive !== undefined ? { isActive: changes.isActive } : {}),
    },
    select: regionPublicSelect,
  });
}

/** What a LiteLLM client for the region is built from (the master key sealed). */
export function findRegionConnection(
  db: Pick<Database, "prisma">,
  regionId: string,
): Promise<{ name: string; litellmBaseUrl: string; litellmMasterKey: string }> {
  return db.prisma.region.findUniqueOrThrow({
    where: { id: regionId },
    select: { name: true, litellmBaseUrl: true, litellmMasterKey: true },
  });
}

/** Points a region at another proxy (the master key sealed). */
export async function setRegionConnection(
  db: Pick<Database, "prisma">,
  regionId: string,
  connection: { litellmBaseUrl: string; litellmMasterKey: string },
): Promise<void> {
  await db.prisma.region.update({ where: { id: regionId }, data: connection });
}
