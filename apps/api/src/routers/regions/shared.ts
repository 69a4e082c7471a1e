import type { RegionRecord } from "@gatehouse/db";
import type { z } from "zod";
import { toIso } from "../shared.schema.ts";
import type { ZRegion } from "./shared.schema.ts";

export const toRegion = (r: RegionRecord): z.infer<typeof ZRegion> => ({
  id: r.id,
  name: r.name,
  litellmBaseUrl: r.litellmBaseUrl,
  isActive: r.isActive,
  createdAt: toIso(r.createdAt),
});
