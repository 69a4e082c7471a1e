/** keys.list: one team's keys, or every key the caller may see, newest first. */
import { blockLevelOf, forbidden } from "@gatehouse/core";
import { listKeys, type KeyListScope } from "@gatehouse/db";
import { authedProcedure } from "../../trpc/init.ts";
import { memberIdOf, requireTeamPermission } from "../../trpc/team-access.ts";
import { pageOf } from "../shared.schema.ts";
import { ZKeyPage, ZListKeysInput } from "./list.schema.ts";
import { manualBlockViews, toKey } from "./shared.ts";

export const list = authedProcedure
  .input(ZListKeysInput)
  .output(ZKeyPage)
  .query(async ({ ctx, input }) => {
    const { actor } = ctx;
    let scope: KeyListScope;
    if (input.teamId) {
      await requireTeamPermission(ctx.db, actor, input.teamId, "viewKeys");
      scope = { teamId: input.teamId };
    } else if (actor.isSystemAdmin) {
      scope = { all: true };
    } else {
      const memberUserId = memberIdOf(actor);
      if (actor.adminOrgIds.length === 0 && memberUserId === null) throw forbidden();
      scope = { organizationIds: actor.adminOrgIds, memberUserId };
    }
    const page = await listKeys(ctx.db, {
      scope,
      offset: (input.page - 1) * input.pageSize,
      take: input.pageSize,
      callerUserId: memberIdOf(actor),
    });
    // Who placed each manual block, and whether this caller may lift it: their level on the
    // key's team (core blockLevelOf).
    const teamOfKey = new Map(page.keys.map((k) => [k.id, k.teamId]));
    const manual = manualBlockViews(page.manualBlocks, (keyId) => {
      const team = page.blockedTeams.get(teamOfKey.get(keyId)!);
      return blockLevelOf(actor, {
        organizationId: team?.organizationId ?? null,
        callerRole: team?.callerRole ?? null,
      });
    });
    return pageOf(
      page.keys.map((k) => {
        const job = page.jobs.get(k.id);
        return toKey(
          k,
          job
            ? {
                state: job.status.toLowerCase() as "pending" | "running" | "done" | "failed",
                lastError: job.lastError,
              }
            : null,
          page.reasons.get(k.id) ?? [],
          page.spend.get(k.id)?.spendUsd ?? null,
          manual.get(k.id) ?? null,
          page.retiring.get(k.id) ?? [],
        );
      }),
      page.total,
      input,
    );
  });
