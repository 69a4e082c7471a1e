/**
 * teams: composes the procedures (one `<verb>.handler.ts` each, with `<verb>.schema.ts`
 * beside it; multi-step work in src/workflows/teams/).
 * - create / get / update / delete: a rename or a delete also queues, in the same
 *   transaction, the LiteLLM jobs that keep every region's proxy in step.
 * - addMember / removeMember / setMemberRole: system admins, the org's admins, team admins.
 *   A team of an organization takes only members of that organization; no one is removed
 *   or demoted by a role below theirs (core `canChangeTeamMember`).
 * - block / unblock: the team's manual block; mergePreview / merge / mergeStatus: system
 *   admins merging one team into another.
 */
import { router } from "../../trpc/init.ts";
import { addMember } from "./add-member.handler.ts";
import { block } from "./block.handler.ts";
import { create } from "./create.handler.ts";
import { remove } from "./delete.handler.ts";
import { get } from "./get.handler.ts";
import { list } from "./list.handler.ts";
import { mergePreview } from "./merge-preview.handler.ts";
import { mergeStatus } from "./merge-status.handler.ts";
import { merge } from "./merge.handler.ts";
import { removeMember } from "./remove-member.handler.ts";
import { setMemberBudget } from "./set-member-budget.handler.ts";
import { setMemberRole } from "./set-member-role.handler.ts";
import { spendHistory } from "./spend-history.handler.ts";
import { spendReport } from "./spend-report.handler.ts";
import { unblock } from "./unblock.handler.ts";
import { update } from "./update.handler.ts";

export const teamsRouter = router({
  list,
  create,
  get,
  update,
  delete: remove,
  addMember,
  removeMember,
  setMemberRole,
  setMemberBudget,
  mergePreview,
  merge,
  mergeStatus,
  block,
  unblock,
  spendHistory,
  spendReport,
});
