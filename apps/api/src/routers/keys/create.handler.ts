/**
 * keys.create: the gate and the output mapping; the workflow across our database and the
 * region's LiteLLM proxy (and its rollback) is src/workflows/keys/create.ts.
 */
import { teamProcedure } from "../../trpc/init.ts";
import { createKey } from "../../workflows/keys/create.ts";
import { ZCreateKeyInput, ZCreateKeyOutput } from "./create.schema.ts";
import { toKey } from "./shared.ts";

export const create = teamProcedure("manageKeys", ZCreateKeyInput)
  .output(ZCreateKeyOutput)
  .mutation(async ({ ctx, input }) => {
    const { row, secret } = await createKey(ctx, ctx.teamAccess.team, input);
    return { key: toKey(row, null), secret };
  });
