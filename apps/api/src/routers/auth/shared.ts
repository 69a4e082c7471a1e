import type { Actor } from "@gatehouse/core";
import { findUserWithOrganizations } from "@gatehouse/db";
import type { Context, SessionInfo } from "../../context.ts";
import { toUserOutput } from "../users/shared.ts";
import type { TMe } from "./shared.schema.ts";

/** Who the caller is, as auth.me, auth.session and auth.login answer it. */
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
  const user = await findUserWithOrganizations(ctx.db, actor.userId);
  if (!session) throw new Error("user actor without a session");
  return {
    kind: "user",
    user: toUserOutput(user),
    organizations: user.organizations,
    session: {
      id: session.id,
      expiresAt: session.expiresAt.toISOString(),
      absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    },
  };
}
