import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZBlockTeamInput = z.strictObject({
  teamId: ZId,
  /** Why the team is blocked, shown with the block. */
  reason: z.string().trim().min(1).max(500).optional(),
});
export { ZTeamBlockOutput } from "./shared.schema.ts";
