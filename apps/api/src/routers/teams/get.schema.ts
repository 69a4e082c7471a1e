export { ZTeamIdInput as ZGetTeamInput, ZTeamDetail } from "./shared.schema.ts";
