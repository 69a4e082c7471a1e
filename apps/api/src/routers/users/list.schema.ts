import { z } from "zod";
import { zPage, ZId, ZPageInput } from "../shared.schema.ts";
import { ZUser } from "./shared.schema.ts";

export const ZListUsersInput = ZPageInput.extend({
  /** Org admins: members of this organization (must be one of theirs). */
  organizationId: ZId.optional(),
  search: z.string().trim().max(200).optional(),
}).strict();

export const ZUserPage = zPage(ZUser);
