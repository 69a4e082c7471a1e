import { adminProcedure } from "../../trpc/init.ts";
import { ZServiceTokensListOutput } from "./list.schema.ts";
import { select, toOutput } from "./shared.ts";

export const list = adminProcedure.output(ZServiceTokensListOutput).query(async ({ ctx }) =>
  (
    await ctx.db.prisma.serviceToken.findMany({
      select,
      orderBy: { createdAt: "desc" },
      take: 500,
    })
  ).map(toOutput),
);
