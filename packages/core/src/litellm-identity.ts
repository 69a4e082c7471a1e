/**
 * A team's identity on a region's LiteLLM proxy: `<region name, spaces as _>_<team id>`.
 * This is the only place that formats it; everything else calls this function.
 */
export function litellmTeamId(regionName: string, teamId: string): string {
  return `${regionName.replace(/ /g, "_")}_${teamId}`;
}
