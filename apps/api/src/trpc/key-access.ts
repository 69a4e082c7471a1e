/**
 * `keyProcedure(permission, input)`: for procedures whose input names one key, the gate
 * `teamProcedure` is for teams. It reads the key's team with the caller's role in one
 * statement, asks core what the caller may do there, passes only when `permission` is
 * granted, and puts that access on ctx (`ctx.keyAccess`).
 *
 * A key of a team the caller may not even see is NOT_FOUND ("Key not found"), exactly as an
 * unknown key id, so ids cannot be probed; FORBIDDEN is for callers who see the team but
 * may not do this. The whole input is parsed before the gate, as for every procedure.
 */
import {
  canBlockKeys,
  forbidden,
  notFound,
  type Actor,
  type TeamPermissions,
} from "@gatehouse/core";
import { keyTeamAccessRow, type Database } from "@gatehouse/db";
import type { z } from "zod";
import { authedProcedure } from "./init.ts";
import { memberIdOf, teamAccessOf, type TeamAccess } from "./team-access.ts";

/** A team permission over the key's team, or `blockKeys` (core canBlockKeys). */
export type KeyPermission = keyof TeamPermissions | "blockKeys";

/** The key's team (`team.id`) and the caller's access to it. */
export interface KeyAccess extends TeamAccess {
  keyId: string;
}

function allows(access: TeamAccess, permission: KeyPermission): boolean {
  return permission === "blockKeys"
    ? canBlockKeys(access.permissions, access.callerRole)
    : access.permissions[permission];
}

export async function requireKeyPermission(
  db: Database,
  actor: Actor,
  keyId: string,
  permission: KeyPermission,
): Promise<KeyAccess> {
  const row = await keyTeamAccessRow(db, keyId, memberIdOf(actor));
  if (!row) throw notFound("Key");
  const access = teamAccessOf(actor, row);
  if (!access.permissions.view) throw notFound("Key");
  if (!allows(access, permission)) throw forbidden();
  return { ...access, keyId };
}

export function keyProcedure<S extends z.ZodType<{ keyId: string }>>(
  permission: KeyPermission,
  input: S,
) {
  return authedProcedure.input(input).use(async ({ ctx, input: parsed, next }) => {
    const keyAccess = await requireKeyPermission(ctx.db, ctx.actor, parsed.keyId, permission);
    return next({ ctx: { keyAccess } });
  });
}
