/** keys.list: one team's keys, or every key the caller may see, newest first. */
import { forbidden } from "@gatehouse/core";
import { keySpend, latestKeyJobs, type Prisma } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { requireTeamPermission } from "../../trpc/team-access.ts";
import { pageOf } from "../shared.schema.ts";
import { ZKeyPage, ZListKeysInput } from "./list.schema.ts";
import type { KeyBlockReasonName } from "./shared.schema.ts";
import { keyInclude, toKey } from "./shared.ts";

export const list = authedProcedure
  .input(ZListKeysInput)
  .output(ZKeyPage)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let where: Prisma.ApiKeyWhereInput;
    if (input.teamId) {
      await requireTeamPermission(ctx.db, actor, input.teamId, "viewKeys");
      where = { teamId: input.teamId };
    } else if (actor.isSystemAdmin) {
      where = {};
    } else {
      const scopes: Prisma.ApiKeyWhereInput[] = [];
      if (actor.adminOrgIds.length)
        scopes.push({ team: { organizationId: { in: [...actor.adminOrgIds] } } });
      if (actor.kind === "user")
        scopes.push({ team: { members: { some: { userId: actor.userId } } } });
      if (scopes.length === 0) throw forbidden();
      where = { OR: scopes };
    }
    const [total, keys] = await Promise.all([
      ctx.db.prisma.apiKey.count({ where }),
      ctx.db.prisma.apiKey.findMany({
        where,
        include: keyInclude,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: (input.page - 1) * input.pageSize,
        take: input.pageSize,
      }),
    ]);
    const ids = keys.map((k) => k.id);
    const jobs = await latestKeyJobs(ctx.db.pool, ids);
    const syncOf = new Map(
      [...jobs].map(([keyId, job]) => [
        keyId,
        {
          state: job.status.toLowerCase() as "pending" | "running" | "done" | "failed",
          lastError: job.lastError,
        },
      ]),
    );
    const spend = await keySpend(ctx.db.pool, ids);
    const blocks = ids.length
      ? await ctx.db.prisma.apiKeyBlock.findMany({
          where: { apiKeyId: { in: ids } },
          select: { apiKeyId: true, reason: true },
        })
      : [];
    const reasonsOf = new Map<string, KeyBlockReasonName[]>();
    for (const b of blocks)
      reasonsOf.set(b.apiKeyId, [...(reasonsOf.get(b.apiKeyId) ?? []), b.reason]);
    return pageOf(
      keys.map((k) =>
        toKey(
          k,
          syncOf.get(k.id) ?? null,
          reasonsOf.get(k.id) ?? [],
          spend.get(k.id)?.spendUsd ?? null,
        ),
      ),
      total,
      input,
    );
  });
