import { router } from "../../trpc/init.ts";
import { createUser } from "./create-user.ts";
import { listUsers } from "./list-users.ts";
import { lookupUser } from "./lookup-user.ts";
import { updateUser } from "./update-user.ts";

export const usersRouter = router({ create: createUser, list: listUsers, update: updateUser, lookup: lookupUser });
