/**
 * What merging a source team into a target does, decided without I/O: key-name
 * conflicts and their resolution, the keys that move (and their new names), the keys
 * deleted, and each source member's resulting role. `teams.mergePreview` shows this plan
 * and `teams.merge` executes exactly it, inside one transaction, so the two cannot differ.
 */
import { KEY_NAME_MAX } from "./key-name.ts";
import { higherTeamRole, teamRoleRank, type TeamRole } from "./roles.ts";

/** What happens to a source key whose name the target already uses. */
export const mergeStrategies = ["cancel", "delete", "rename"] as const;
export type MergeStrategy = (typeof mergeStrategies)[number];

export interface MergeKeyFacts {
  id: string;
  name: string;
  regionId: string;
}

export interface MergeMemberFacts {
  userId: string;
  role: TeamRole;
}

export interface MergePlanInput {
  source: { id: string; name: string };
  sourceKeys: MergeKeyFacts[];
  targetKeys: Array<{ id: string; name: string }>;
  sourceMembers: MergeMemberFacts[];
  targetMembers: MergeMemberFacts[];
  strategy: MergeStrategy;
  /** Appended to conflicting names under `rename`; default: `_from_<source team>`. */
  renameSuffix?: string | undefined;
}

export interface MergeConflictPlan {
  name: string;
  sourceKeyId: string;
  targetKeyId: string;
  resolution: MergeStrategy;
  newName: string | null;
}

export interface MergeMemberPlan {
  userId: string;
  sourceRole: TeamRole;
  targetRole: TeamRole | null;
  resultRole: TeamRole;
  action: "add" | "upgrade" | "keep";
}

export interface MergePlan {
  conflicts: MergeConflictPlan[];
  /** `cancel` with conflicts: the merge must not run. */
  blockedByConflicts: boolean;
  keysToMove: Array<{ keyId: string; name: string; newName: string; regionId: string }>;
  keysToDelete: Array<{ keyId: string; name: string; regionId: string }>;
  members: MergeMemberPlan[];
}

export function defaultRenameSuffix(sourceTeamName: string, sourceTeamId: string): string {
  const slug = sourceTeamName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 24)
    .replace(/-+$/, "");
  return `_from_${slug || sourceTeamId.slice(0, 8)}`;
}

/**
 * `name + suffix`, and if that is taken `name + suffix + _2`, `_3`...; the base name is
 * shortened so the result always fits KEY_NAME_MAX. Deterministic for the same inputs.
 */
export function uniqueRenamedKeyName(
  name: string,
  suffix: string,
  taken: ReadonlySet<string>,
): string {
  for (let n = 1; ; n++) {
    const tail = n === 1 ? suffix : `${suffix}_${n}`;
    const room = KEY_NAME_MAX - tail.length;
    // A suffix longer than the limit still yields a valid, unique name.
    const candidate =
      room > 0
        ? `${name.slice(0, room).trimEnd()}${tail}`
        : `${name.slice(0, 1)}${tail}`.slice(-KEY_NAME_MAX);
    if (!taken.has(candidate)) return candidate;
  }
}

export function planMerge(input: MergePlanInput): MergePlan {
  const targetByName = new Map(input.targetKeys.map((k) => [k.name, k.id]));
  const suffix = input.renameSuffix ?? defaultRenameSuffix(input.source.name, input.source.id);

  // Every name the target will hold: its own, plus moved source keys that keep theirs.
  const taken = new Set<string>(targetByName.keys());
  for (const key of input.sourceKeys) if (!targetByName.has(key.name)) taken.add(key.name);

  const conflicts: MergeConflictPlan[] = [];
  const keysToMove: MergePlan["keysToMove"] = [];
  const keysToDelete: MergePlan["keysToDelete"] = [];
  const ordered = [...input.sourceKeys].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1,
  );
  for (const key of ordered) {
    const targetKeyId = targetByName.get(key.name);
    if (targetKeyId === undefined) {
      keysToMove.push({ keyId: key.id, name: key.name, newName: key.name, regionId: key.regionId });
      continue;
    }
    let newName: string | null = null;
    if (input.strategy === "rename") {
      newName = uniqueRenamedKeyName(key.name, suffix, taken);
      taken.add(newName);
      keysToMove.push({ keyId: key.id, name: key.name, newName, regionId: key.regionId });
    } else if (input.strategy === "delete") {
      keysToDelete.push({ keyId: key.id, name: key.name, regionId: key.regionId });
    }
    conflicts.push({
      name: key.name,
      sourceKeyId: key.id,
      targetKeyId,
      resolution: input.strategy,
      newName,
    });
  }

  const targetRoles = new Map(input.targetMembers.map((m) => [m.userId, m.role]));
  const members = input.sourceMembers
    .map((m): MergeMemberPlan => {
      const targetRole = targetRoles.get(m.userId) ?? null;
      if (targetRole === null) {
        return {
          userId: m.userId,
          sourceRole: m.role,
          targetRole,
          resultRole: m.role,
          action: "add",
        };
      }
      const resultRole = higherTeamRole(m.role, targetRole);
      const action = teamRoleRank(resultRole) > teamRoleRank(targetRole) ? "upgrade" : "keep";
      return { userId: m.userId, sourceRole: m.role, targetRole, resultRole, action };
    })
    .sort((a, b) => (a.userId < b.userId ? -1 : 1));

  return {
    conflicts,
    blockedByConflicts: input.strategy === "cancel" && conflicts.length > 0,
    keysToMove,
    keysToDelete,
    members,
  };
}
