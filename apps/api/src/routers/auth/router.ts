import { router } from "../../trpc/init.ts";
import { login } from "./login.handler.ts";
import { logout } from "./logout.handler.ts";
import { me } from "./me.handler.ts";
import { session } from "./session.handler.ts";

export const authRouter = router({ login, logout, me, session });
