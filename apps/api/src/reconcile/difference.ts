/**
 * The differences a reconciliation finds, with what a repair needs, and each as the report's
 * example (which carries less).
 */
import { TOKEN_PREFIX_LENGTH, type ReconcileExample } from "@gatehouse/core";
import type { RegionKeyRow } from "@gatehouse/db";

/** Gatehouse's view of one key of the region. */
export type GatehouseKey = RegionKeyRow;

export interface TeamRef {
  id: string;
  name: string;
  litellmTeamId: string;
}

/** A confirmed difference with what a repair needs (examples carry less). */
export type Difference =
  | { kind: "team_missing"; team: TeamRef }
  | {
      kind: "limits_drift";
      subject: "team";
      team: TeamRef;
      /** The differing fields, `field=value, ...`, as Gatehouse expects them and as found. */
      expected: string;
      actual: string;
    }
  | { kind: "limits_drift"; subject: "key"; key: GatehouseKey; expected: string; actual: string }
  | {
      kind: "block_drift";
      subject: "team";
      team: TeamRef;
      expected: "blocked" | "unblocked";
      actual: "blocked" | "unblocked";
    }
  | {
      kind: "block_drift";
      subject: "key";
      key: GatehouseKey;
      expected: "blocked" | "unblocked";
      actual: "blocked" | "unblocked";
    }
  | {
      kind: "key_missing";
      key: GatehouseKey;
      expected: { litellmTeamId: string; keyAlias: string };
    }
  | {
      kind: "key_wrong_team" | "alias_drift";
      key: GatehouseKey;
      expected: { litellmTeamId: string; keyAlias: string };
      actual: { teamId: string | null; keyAlias: string | null; userId: string | null };
    }
  | {
      kind: "orphan_key";
      token: string;
      gatehouseKeyId: string;
      teamId: string | null;
      keyAlias: string | null;
    };

/** How an example names a Gatehouse key: never its whole token. */
function keyColumns(
  key: GatehouseKey,
): Pick<ReconcileExample, "teamId" | "keyId" | "keyName" | "keyTokenPrefix"> {
  return {
    teamId: key.teamId,
    keyId: key.id,
    keyName: key.name,
    keyTokenPrefix: key.token.slice(0, TOKEN_PREFIX_LENGTH),
  };
}

/** A difference as the report shows it (an example of its kind). */
export function toExample(d: Difference): ReconcileExample {
  const base = {
    kind: d.kind,
    teamId: null,
    keyId: null,
    keyName: null,
    keyTokenPrefix: null,
    expected: null,
    actual: null,
    restorable: null,
  };
  switch (d.kind) {
    case "team_missing":
      return { ...base, teamId: d.team.id, expected: d.team.litellmTeamId };
    case "key_missing":
      return {
        ...base,
        ...keyColumns(d.key),
        expected: d.expected.litellmTeamId,
        restorable: d.key.secretSealed !== null,
      };
    case "key_wrong_team":
    case "alias_drift": {
      const team = d.kind === "key_wrong_team";
      return {
        ...base,
        ...keyColumns(d.key),
        expected: team ? d.expected.litellmTeamId : d.expected.keyAlias,
        actual: team ? d.actual.teamId : d.actual.keyAlias,
      };
    }
    case "orphan_key":
      return {
        ...base,
        keyId: d.gatehouseKeyId,
        keyTokenPrefix: d.token.slice(0, TOKEN_PREFIX_LENGTH),
        actual: d.teamId,
      };
    case "limits_drift":
    case "block_drift":
      return d.subject === "team"
        ? { ...base, teamId: d.team.id, expected: d.expected, actual: d.actual }
        : {
            ...base,
            ...keyColumns(d.key),
            expected: d.expected,
            actual: d.actual,
          };
  }
}
