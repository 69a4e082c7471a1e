/**
 * A team's identity on a region's LiteLLM proxy: `<region name, spaces as _>_<team id>`.
 * This is the only place that formats it; everything else calls this function.
 */
export function litellmTeamId(regionName: string, teamId: string): string {
  return `${regionName.replace(/ /g, "_")}_${teamId}`;
}

/**
 * A key's alias on LiteLLM. Aliases must be unique across a whole proxy while Gatehouse
 * key names are unique only within a team, so the alias carries the team's LiteLLM id.
 * A merge moves a key to another team, so its alias changes with it.
 */
export function litellmKeyAlias(litellmTeam: string, keyName: string): string {
  return `${litellmTeam}/${keyName}`;
}
