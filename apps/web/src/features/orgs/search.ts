import { z } from "zod";

export const ZOrgsSearch = z.object({
  page: z.number().int().min(1).optional().catch(undefined),
  q: z.coerce.string().trim().min(1).max(200).optional().catch(undefined),
});
export type OrgsSearch = z.infer<typeof ZOrgsSearch>;
