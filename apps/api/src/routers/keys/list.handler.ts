/** keys.list: one team's keys, or every key the caller may see, newest first. */
import { blockLevelOf, forbidden, type TeamRole } from "@gatehouse/core";
import { keySpend, latestKeyJobs, type Prisma } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { requireTeamPermission } from "../../trpc/team-access.ts";
import { pageOf } from "../shared.schema.ts";
import { ZKeyPage, ZListKeysInput } from "./list.schema.ts";
import type { KeyBlockReasonName } from "./shared.schema.ts";
import { keyInclude, keyManualBlockOutput, toKey } from "./shared.ts";

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
    const spend = await keySpend(ctx.db, ids);
    const blocks = ids.length
      ? await ctx.db.prisma.apiKeyBlock.findMany({
          where: { apiKeyId: { in: ids } },
          select: { apiKeyId: true, reason: true },
        })
      : [];
    const reasonsOf = new Map<string, KeyBlockReasonName[]>();
    for (const b of blocks)
      reasonsOf.set(b.apiKeyId, [...(reasonsOf.get(b.apiKeyId) ?? []), b.reason]);
    // Who placed each manual block, and whether this caller may lift it: their level on the
    // key's team (core blockLevelOf), read only for the teams of manually blocked keys.
    const blockedTeamIds = [
      ...new Set(keys.filter((k) => reasonsOf.get(k.id)?.includes("manual")).map((k) => k.teamId)),
    ];
    const [teams, roles] = blockedTeamIds.length
      ? await Promise.all([
          ctx.db.prisma.team.findMany({
            where: { id: { in: blockedTeamIds } },
            select: { id: true, organizationId: true },
          }),
          actor.kind === "user"
            ? ctx.db.prisma.teamMember.findMany({
                where: { userId: actor.userId, teamId: { in: blockedTeamIds } },
                select: { teamId: true, role: true },
              })
            : [],
        ])
      : [[], []];
    const orgOf = new Map(teams.map((t) => [t.id, t.organizationId]));
    const roleOf = new Map<string, TeamRole>(roles.map((r) => [r.teamId, r.role]));
    const teamOfKey = new Map(keys.map((k) => [k.id, k.teamId]));
    const manual = blockedTeamIds.length
      ? await keyManualBlockOutput(
          ctx.db.prisma,
          keys.filter((k) => reasonsOf.get(k.id)?.includes("manual")).map((k) => k.id),
          (keyId) => {
            const teamId = teamOfKey.get(keyId)!;
            return blockLevelOf(actor, {
              organizationId: orgOf.get(teamId) ?? null,
              callerRole: roleOf.get(teamId) ?? null,
            });
          },
        )
      : new Map<string, never>();
    return pageOf(
      keys.map((k) =>
        toKey(
          k,
          syncOf.get(k.id) ?? null,
          reasonsOf.get(k.id) ?? [],
          spend.get(k.id)?.spendUsd ?? null,
          manual.get(k.id) ?? null,
        ),
      ),
      total,
      input,
    );
  });
