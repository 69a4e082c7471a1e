import { router } from "../../trpc/init.ts";
import { accept } from "./accept.handler.ts";
import { create } from "./create.handler.ts";
import { list } from "./list.handler.ts";
import { preview } from "./preview.handler.ts";
import { resend } from "./resend.handler.ts";
import { revoke } from "./revoke.handler.ts";

export const invitationsRouter = router({ create, list, resend, revoke, preview, accept });
