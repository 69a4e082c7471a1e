import type { Actor } from "@gatehouse/core";
import type { Context, SessionInfo } from "../../context.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { toUserOutput, userPublicSelect } from "../users/shared.ts";
import { ZMe, type TMe } from "./shared.schema.ts";

export async function describeActor(
  ctx: Pick<Context, "db">,
  actor: Actor,
  session: SessionInfo | null,
): Promise<TMe> {
  if (actor.kind === "service") {
    return {
      kind: "service",
      serviceTokenId: actor.serviceTokenId,
      scope: actor.isSystemAdmin ? "admin" : "organization",
      organizationId: actor.adminOrgIds[0] ?? null,
    };
  }
  const user = await ctx.db.prisma.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: {
      ...userPublicSelect,
      orgMemberships: {
        select: { role: true, organization: { select: { id: true, name: true } } },
        orderBy: { organization: { name: "asc" } },
      },
    },
  });
  if (!session) throw new Error("user actor without a session");
  return {
    kind: "user",
    user: toUserOutput(user),
    organizations: user.orgMemberships.map((m) => ({ ...m.organization, role: m.role })),
    session: {
      id: session.id,
      expiresAt: session.expiresAt.toISOString(),
      absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    },
  };
}

export const me = authedProcedure
  .output(ZMe)
  .query(({ ctx }) => describeActor(ctx, ctx.actor, ctx.session));
