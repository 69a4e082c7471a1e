import { z } from "zod";
import { ZId } from "../shared.schema.ts";

export const ZOrgsSetSsoEnforcedInput = z.strictObject({
  organizationId: ZId,
  enforced: z.boolean(),
});

export const ZOrgsSetSsoEnforcedOutput = z.object({
  organizationId: ZId,
  enforced: z.boolean(),
  /** Password sessions of its members ended by enforcing (0 when lifting). */
  endedSessions: z.number().int(),
});
