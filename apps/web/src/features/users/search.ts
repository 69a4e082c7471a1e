import { z } from "zod";

export const ZUsersSearch = z.object({
  page: z.number().int().min(1).optional().catch(undefined),
  q: z.coerce.string().trim().min(1).max(200).optional().catch(undefined),
});
export type UsersSearch = z.infer<typeof ZUsersSearch>;
