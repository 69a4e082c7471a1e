import { publicProcedure } from "../../trpc/init.ts";
import { ZAuthSessionOutput } from "./session.schema.ts";
import { describeActor } from "./shared.ts";

/**
 * Who is calling, or `null` for a visitor without a (live) session. The web app asks this on
 * its first load: a visitor is a normal state there, not an error, so it gets a 200 instead
 * of the 401 `auth.me` answers (which stays as it is for API clients that expect a caller).
 * Resolving the caller failing (database down) is still an error.
 */
export const session = publicProcedure.output(ZAuthSessionOutput).query(({ ctx }) => {
  if (ctx.actorError) throw ctx.actorError;
  return ctx.actor ? describeActor(ctx, ctx.actor, ctx.session) : null;
});
