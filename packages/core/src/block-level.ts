/**
 * Who may lift a manual block. A block records the level it was placed at: `system` (a
 * system admin or admin-scoped token), `organization` (an admin of the team's organization
 * or its token), `team` (the team's ADMIN, for its keys). A caller may lift only blocks
 * placed at their own level or below, so a team admin cannot undo what an organization admin
 * decided, nor an organization admin what the platform's admins decided. Placing a block
 * where one exists raises it to the caller's level when that is higher (never lowers it).
 *
 * Manual blocks from before levels were recorded were given the `organization` level by a
 * data migration (nobody knows who placed them); a null level ranks lowest.
 */
import { auditActor, isOrgAdmin, type Actor } from "./actor.ts";
import { DomainError } from "./errors.ts";
import type { TeamRole } from "./roles.ts";

export const blockLevels = ["team", "organization", "system"] as const;
export type BlockLevel = (typeof blockLevels)[number];

const rank = (level: BlockLevel | null): number =>
  level === null ? 0 : blockLevels.indexOf(level) + 1;

/** The highest level the caller acts at on this team, or null when they may not block at all. */
export function blockLevelOf(
  actor: Actor,
  team: { organizationId: string | null; callerRole: TeamRole | null },
): BlockLevel | null {
  if (actor.isSystemAdmin) return "system";
  if (team.organizationId !== null && isOrgAdmin(actor, team.organizationId)) return "organization";
  if (team.callerRole === "ADMIN") return "team";
  return null;
}

/** May a caller at `caller` level lift a manual block placed at `placed`? */
export function mayLiftBlock(caller: BlockLevel | null, placed: BlockLevel | null): boolean {
  return caller !== null && rank(caller) >= rank(placed);
}

/**
 * Placing a manual block where one may exist: insert when none, raise (take over author,
 * level and note) when the caller's level is higher, else keep the existing one as it is.
 */
export function placeBlock(
  caller: BlockLevel,
  existing: BlockLevel | null | undefined,
): "insert" | "raise" | "keep" {
  if (existing === undefined) return "insert";
  return rank(caller) > rank(existing) ? "raise" : "keep";
}

/** How the UI names a level ("Blocked by Ana (organization admin)"). */
export function blockLevelLabel(level: BlockLevel): string {
  return { system: "system admin", organization: "organization admin", team: "team admin" }[level];
}

/** The refusal when a caller tries to lift a manual block placed above their level. */
export function placedAbove(level: BlockLevel): DomainError {
  return new DomainError(
    "FORBIDDEN",
    `This block was placed by a ${blockLevelLabel(level)}; only a ${blockLevelLabel(level)} or above can lift it`,
    { level },
  );
}

/** Who places a manual block, as its row records them: the person or the service token. */
export function placedBy(actor: Actor): {
  placedByUserId: string | null;
  placedByServiceTokenId: string | null;
} {
  const who = auditActor(actor);
  return { placedByUserId: who.actorUserId, placedByServiceTokenId: who.actorServiceTokenId };
}
