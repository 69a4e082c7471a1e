/**
 * teams: composes the procedures (one `<verb>.handler.ts` each, with `<verb>.schema.ts`
 * beside it; block/unblock, merge* and spend* are groups of one workflow each).
 * - create / get / update / delete: a rename or a delete also queues, in the same
 *   transaction, the LiteLLM jobs that keep every region's proxy in step.
 * - addMember / removeMember / setMemberRole: system admins, the org's admins, team admins.
 *   A team of an organization takes only members of that organization; no one is removed
 *   or demoted by a role below theirs (core `canChangeTeamMember`).
 */
import { router } from "../../trpc/init.ts";
import { addMember } from "./add-member.handler.ts";
import { blockTeam, unblockTeam } from "./block.handler.ts";
import { createTeam } from "./create.handler.ts";
import { deleteTeam } from "./delete.handler.ts";
import { getTeam } from "./get.handler.ts";
import { listTeamsProcedure } from "./list.handler.ts";
import { merge, mergePreview, mergeStatus } from "./merge.handler.ts";
import { removeMember } from "./remove-member.handler.ts";
import { setMemberRole } from "./set-member-role.handler.ts";
import { spendHistory } from "./spend-history.handler.ts";
import { spendReport } from "./spend-report.handler.ts";
import { updateTeam } from "./update.handler.ts";

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
