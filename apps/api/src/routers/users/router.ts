import { router } from "../../trpc/init.ts";
import { createUser } from "./create.handler.ts";
import { listUsers } from "./list.handler.ts";
import { lookupUser } from "./lookup.handler.ts";
import { updateUser } from "./update.handler.ts";

export const usersRouter = router({
  create: createUser,
  list: listUsers,
  update: updateUser,
  lookup: lookupUser,
});
