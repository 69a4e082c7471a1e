import { router } from "../../trpc/init.ts";
import { changePassword } from "./change-password.handler.ts";
import { login } from "./login.handler.ts";
import { logout } from "./logout.handler.ts";
import { me } from "./me.handler.ts";
import { requestPasswordReset } from "./request-password-reset.handler.ts";
import { resetPassword } from "./reset-password.handler.ts";
import { session } from "./session.handler.ts";

export const authRouter = router({
  login,
  logout,
  me,
  session,
  requestPasswordReset,
  resetPassword,
  changePassword,
});
