/**
 * The merge contract as the web app sees it: types inferred from the router (the zod
 * schemas live in apps/api/src/routers/teams/merge.schema.ts).
 */
import type { RouterInputs, RouterOutputs } from "@/lib/trpc.ts";

export type MergePreview = RouterOutputs["teams"]["mergePreview"];
export type MergeResult = RouterOutputs["teams"]["merge"];
export type MergeStatus = RouterOutputs["teams"]["mergeStatus"];
export type MergeRequest = RouterInputs["teams"]["merge"];
export type MergeStrategy = MergePreview["strategy"];
export type KeySyncState = MergeStatus["keys"][number]["state"];

/** Why the merge cannot be confirmed as previewed; empty when it can. */
export function mergeBlockReasons(preview: MergePreview): string[] {
  const reasons = [...preview.blockers];
  if (preview.blockingProducts.length > 0 && !reasons.some((r) => /product/i.test(r))) {
    reasons.push(
      `The source team has active products (${preview.blockingProducts.map((p) => p.name).join(", ")}); detach them first.`,
    );
  }
  return reasons;
}
