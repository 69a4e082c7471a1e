/**
 * What placing or lifting a manual block on a team or a key shares: the level the caller
 * acts at (decided by the key's team), and the change asked of the database.
 */
import { blockLevelOf, placedBy, type Actor, type BlockLevel } from "@gatehouse/core";
import { enqueueForEach, setManualBlock, type ManualBlockChange, type Tx } from "@gatehouse/db";
import type { TeamAccess } from "../trpc/team-access.ts";

/** The level of the caller's manual blocks on this team and its keys (null: none). */
export function callerBlockLevel(
  actor: Actor,
  access: Pick<TeamAccess, "team" | "callerRole">,
): BlockLevel | null {
  return blockLevelOf(actor, {
    organizationId: access.team.organizationId,
    callerRole: access.callerRole,
  });
}

/** Places the caller's block with its note (`block`), or lifts it (null). */
function manualBlockChange(
  actor: Actor,
  now: Date,
  block: { note: string | null } | null,
): ManualBlockChange {
  return block ? { place: { note: block.note, ...placedBy(actor) }, now } : { lift: true };
}

/**
 * Places the caller's block on the team or key (`block`), or lifts it (null), and queues the
 * push of its block state to the proxies; resolves with whether the block changed. Queued even
 * when nothing changed here: a repeat is also how an operator re-sends the state to a proxy
 * that lost it; the job is idempotent.
 */
export async function changeManualBlock(
  tx: Tx,
  ctx: { actor: Actor; clock: { now(): Date } },
  target: { teamId: string } | { keyId: string },
  callerLevel: BlockLevel,
  block: { note: string | null } | null,
): Promise<boolean> {
  const change = manualBlockChange(ctx.actor, ctx.clock.now(), block);
  const changed = await setManualBlock(tx, target, callerLevel, change);
  if ("keyId" in target)
    await enqueueForEach(tx, "litellm.syncKeyBlock", { keyIds: [target.keyId] });
  else await enqueueForEach(tx, "litellm.syncTeamBlock", { teamIds: [target.teamId] });
  return changed;
}
