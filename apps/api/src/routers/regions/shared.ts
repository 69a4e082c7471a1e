import type { z } from "zod";
import { toIso } from "../shared.schema.ts";
import type { ZRegion } from "./shared.schema.ts";

/** The only columns of a region a procedure may read for output. */
export const regionPublicSelect = {
  id: true,
  name: true,
  litellmBaseUrl: true,
  isActive: true,
  createdAt: true,
} as const;

export type RegionRow = {
  id: string;
  name: string;
  litellmBaseUrl: string;
  isActive: boolean;
  createdAt: Date;
};

export const toRegion = (r: RegionRow): z.infer<typeof ZRegion> => ({
  ...r,
  createdAt: toIso(r.createdAt),
});
