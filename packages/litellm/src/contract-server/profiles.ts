/**
 * The LiteLLM releases and licences the contract server imitates, and what differs between
 * them (see routes.ts for what each profile stands for).
 */
/** Which LiteLLM the double imitates where versions and licences differ (header above). */
export const contractProfiles = ["oss", "enterprise", "strict-alias", "legacy"] as const;
export type ContractProfile = (typeof contractProfiles)[number];

export interface ProfileTraits {
  /** An Enterprise licence (`premium_user`): team admins may be assigned. */
  premium: boolean;
  /** v1.82.0's built-in alias format check on every alias. */
  aliasFormat: boolean;
  /** Older duplicate-member and partial-delete answers. */
  legacyDuplicates: boolean;
  /**
   * `/team/member_delete` also deletes the member's keys in the team (LiteLLM releases
   * since November 2025); releases before keep them.
   */
  memberDeleteDeletesKeys: boolean;
}

export const traitsOf: Record<ContractProfile, ProfileTraits> = {
  oss: {
    premium: false,
    aliasFormat: false,
    legacyDuplicates: false,
    memberDeleteDeletesKeys: true,
  },
  enterprise: {
    premium: true,
    aliasFormat: false,
    legacyDuplicates: false,
    memberDeleteDeletesKeys: true,
  },
  "strict-alias": {
    premium: false,
    aliasFormat: true,
    legacyDuplicates: false,
    memberDeleteDeletesKeys: true,
  },
  legacy: {
    premium: false,
    aliasFormat: false,
    legacyDuplicates: true,
    memberDeleteDeletesKeys: false,
  },
};

/**
 * Profiles imitating releases from before `get_team_object` raised a 404 HTTPException:
 * `/team/member_add` on a missing team is a bare 500, and `/key/update` loads the team only
 * when the key changes team (500 "Team object not found for team change validation").
 */
export const olderTeamLookup: ReadonlySet<ContractProfile> = new Set(["legacy"]);

export function isContractProfile(value: string): value is ContractProfile {
  return (contractProfiles as readonly string[]).includes(value);
}
