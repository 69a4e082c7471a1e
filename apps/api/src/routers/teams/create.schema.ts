import { z } from "zod";
import { ZId, ZName } from "../shared.schema.ts";

export const ZCreateTeamInput = z.strictObject({
  name: ZName,
  organizationId: ZId.nullable().default(null),
  alwaysFree: z.boolean().default(false),
});
export { ZTeamListItem as ZCreateTeamOutput } from "./shared.schema.ts";
