import { router } from "../../trpc/init.ts";
import { blockTeam, unblockTeam } from "./blocks.ts";
import { createTeam, deleteTeam, getTeam, updateTeam } from "./crud.ts";
import { listTeamsProcedure } from "./list-teams.ts";
import { addMember, removeMember, setMemberRole } from "./members.ts";
import { merge, mergePreview, mergeStatus } from "./merge.ts";
import { spendHistory, spendReport } from "./spend.ts";

export const teamsRouter = router({
  list: listTeamsProcedure,
  create: createTeam,
  get: getTeam,
  update: updateTeam,
  delete: deleteTeam,
  addMember,
  removeMember,
  setMemberRole,
  mergePreview,
  merge,
  mergeStatus,
  block: blockTeam,
  unblock: unblockTeam,
  spendHistory,
  spendReport,
});
