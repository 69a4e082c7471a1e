import { ZOrgRole, ZServiceTokenScope } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZUser } from "../users/shared.schema.ts";

export const ZMe = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("user"),
    user: ZUser,
    organizations: z.array(z.object({ id: ZId, name: z.string(), role: ZOrgRole })),
    session: z.object({ id: ZId, expiresAt: ZDateTime, absoluteExpiresAt: ZDateTime }),
  }),
  z.object({
    kind: z.literal("service"),
    serviceTokenId: ZId,
    scope: ZServiceTokenScope,
    organizationId: ZId.nullable(),
  }),
]);
export type TMe = z.infer<typeof ZMe>;
