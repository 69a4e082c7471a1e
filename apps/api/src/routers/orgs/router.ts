/**
 * orgs.create (admin), orgs.list (scoped: admins see all, others the organizations they
 * belong to), orgs.addMember / removeMember (admin or that organization's admin). Every
 * membership change goes through db `changeOrgMembership` (locked; never leaves an
 * organization without an ORG_ADMIN).
 */
import { router } from "../../trpc/init.ts";
import { addMember } from "./add-member.handler.ts";
import { create } from "./create.handler.ts";
import { get } from "./get.handler.ts";
import { list } from "./list.handler.ts";
import { removeMember } from "./remove-member.handler.ts";
import { setSsoEnforced } from "./set-sso-enforced.handler.ts";

export const orgsRouter = router({
  create,
  list,
  get,
  addMember,
  removeMember,
  setSsoEnforced,
});
