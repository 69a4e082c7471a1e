import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";
import { ZUser } from "../users/schemas.ts";

export const ZLoginInput = z.strictObject({
  email: z.string().trim().min(1, { error: "is required" }).max(254),
  password: z.string().min(1, { error: "is required" }).max(256),
});

export const ZMe = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("user"),
    user: ZUser,
    organizations: z.array(
      z.object({ id: ZId, name: z.string(), role: z.enum(["ORG_ADMIN", "MEMBER"]) }),
    ),
    session: z.object({ id: ZId, expiresAt: ZDateTime, absoluteExpiresAt: ZDateTime }),
  }),
  z.object({
    kind: z.literal("service"),
    serviceTokenId: ZId,
    scope: z.enum(["admin", "organization"]),
    organizationId: ZId.nullable(),
  }),
]);
export type TMe = z.infer<typeof ZMe>;
