import { authedProcedure } from "../../trpc/init.ts";
import { ZAuthMeOutput } from "./me.schema.ts";
import { describeActor } from "./shared.ts";

export const me = authedProcedure
  .output(ZAuthMeOutput)
  .query(({ ctx }) => describeActor(ctx, ctx.actor, ctx.session));
