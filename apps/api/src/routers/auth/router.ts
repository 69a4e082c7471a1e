import { router } from "../../trpc/init.ts";
import { login } from "./login.ts";
import { logout } from "./logout.ts";
import { me } from "./me.ts";
import { session } from "./session.ts";

export const authRouter = router({ login, logout, me, session });
