export { ZTeamIdInput as ZUnblockTeamInput, ZTeamBlockOutput } from "./shared.schema.ts";
