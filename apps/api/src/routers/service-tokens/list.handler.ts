import { listServiceTokens } from "@gatehouse/db";
import { adminProcedure } from "../../trpc/init.ts";
import { ZServiceTokensListOutput } from "./list.schema.ts";
import { toOutput } from "./shared.ts";

export const list = adminProcedure
  .output(ZServiceTokensListOutput)
  .query(async ({ ctx }) => (await listServiceTokens(ctx.db)).map(toOutput));
