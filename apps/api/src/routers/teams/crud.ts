/**
 * teams.create / get / update / delete. A rename or a delete also queues, in the same
 * transaction, the LiteLLM jobs that keep every region's proxy in step (the team's alias,
 * or the team itself).
 */
import {
  canCreateTeam,
  forbidden,
  isTeamExpired,
  notFound,
  preconditionFailed,
  teamDeleteJobs,
  teamRenameJobs,
  type RegionNames,
} from "@gatehouse/core";
import {
  blockIfExpired,
  enqueueJobs,
  liftExpiredIfPaid,
  loadTeamDetail,
  type Prisma,
} from "@gatehouse/db";
import { z } from "zod";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure, teamProcedure } from "../../trpc/init.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";
import { teamSpendView } from "./spend.ts";
import {
  ZCreateTeamInput,
  ZTeamDetail,
  ZTeamIdInput,
  ZTeamListItem,
  ZUpdateTeamInput,
} from "./schemas.ts";

/** Every region: Gatehouse does not record on which proxies a team was created. */
async function allRegions(tx: Prisma.TransactionClient): Promise<RegionNames> {
  const regions = await tx.region.findMany({ select: { id: true, name: true } });
  return new Map(regions.map((r) => [r.id, { name: r.name }]));
}

export const createTeam = authedProcedure
  .input(ZCreateTeamInput)
  .output(ZTeamListItem)
  .mutation(async ({ ctx, input }) => {
    if (!canCreateTeam(ctx.actor, input.organizationId)) {
      throw forbidden(
        input.organizationId
          ? "You cannot create teams in this organization"
          : "Only system administrators can create teams without an organization",
      );
    }
    if (input.alwaysFree && !ctx.actor.isSystemAdmin)
      throw forbidden("You may not change: alwaysFree");
    const now = ctx.clock.now();
    const team = await ctx.db.prisma.$transaction(async (tx) => {
      const org = input.organizationId
        ? await tx.organization.findUnique({
            where: { id: input.organizationId },
            select: { id: true, name: true },
          })
        : null;
      if (input.organizationId && !org) throw notFound("Organization");
      const created = await tx.team.create({
        data: {
          name: input.name,
          organizationId: input.organizationId,
          alwaysFree: input.alwaysFree,
          createdAt: now,
        },
      });
      await writeAudit(tx, ctx, {
        action: "team.create",
        targetType: "team",
        targetId: created.id,
        organizationId: created.organizationId,
        details: { name: created.name },
      });
      return { ...created, organization: org };
    });
    return {
      id: team.id,
      name: team.name,
      organization: team.organization,
      createdAt: toIso(team.createdAt),
      alwaysFree: team.alwaysFree,
      lastPaymentAt: toIsoOrNull(team.lastPaymentAt),
      membersCount: 0,
      keysCount: 0,
      activeProducts: [],
      expired: false,
      blocked: false,
      spendUsd: null,
    };
  });

export const getTeam = teamProcedure("view", ZTeamIdInput)
  .output(ZTeamDetail)
  .query(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    // Two round trips in all: the access check above and this one statement.
    const team = await loadTeamDetail(ctx.db.pool, input.teamId, {
      memberLimit: 1000,
      defaultEntitlement: ctx.config.defaultEntitlement,
    });
    if (!team) throw notFound("Team");
    const spend = teamSpendView(team.spend);
    const active = team.products.filter((p) => p.status === "ACTIVE");
    const now = ctx.clock.now();
    return {
      id: team.id,
      name: team.name,
      organization: team.organization,
      createdAt: toIso(team.createdAt),
      updatedAt: toIso(team.updatedAt),
      alwaysFree: team.alwaysFree,
      lastPaymentAt: toIsoOrNull(team.lastPaymentAt),
      membersCount: team.membersCount,
      keysCount: team.keysCount,
      activeProducts: active.map((p) => ({ id: p.productId, name: p.name })),
      expired: isTeamExpired(
        {
          alwaysFree: team.alwaysFree,
          hasActiveProduct: active.length > 0,
          lastPaymentAt: team.lastPaymentAt,
          createdAt: team.createdAt,
        },
        now,
        ctx.config.expiryGraceDays,
      ),
      blocked: team.blocks.length > 0,
      spendUsd: spend.totalUsd,
      spend,
      blockReasons: team.blocks.map((b) => ({
        reason: b.reason,
        note: b.note,
        since: toIso(b.since),
      })),
      entitlement: team.entitlement,
      members: team.members.map((m) => ({
        userId: m.userId,
        email: m.email,
        name: m.name,
        role: m.role,
        createdAt: toIso(m.createdAt),
      })),
      products: team.products.map((p) => ({
        id: p.id,
        productId: p.productId,
        name: p.name,
        status: p.status,
        createdAt: toIso(p.createdAt),
      })),
      permissions: {
        manage: access.permissions.manage,
        manageMembers: access.permissions.manageMembers,
        manageKeys: access.permissions.manageKeys,
      },
    };
  });

export const updateTeam = teamProcedure("manage", ZUpdateTeamInput)
  .output(
    z.object({
      id: z.string(),
      name: z.string(),
      alwaysFree: z.boolean(),
      lastPaymentAt: z.string().nullable(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const access = ctx.teamAccess;
    const billing = (["alwaysFree", "lastPaymentAt"] as const).filter(
      (f) => input[f] !== undefined,
    );
    if (billing.length > 0 && !access.permissions.manageBilling) {
      throw forbidden(`You may not change: ${billing.join(", ")}`);
    }
    const updated = await ctx.db.prisma.$transaction(async (tx) => {
      const team = await tx.team.update({
        where: { id: input.teamId },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.alwaysFree !== undefined ? { alwaysFree: input.alwaysFree } : {}),
          ...(input.lastPaymentAt !== undefined
            ? { lastPaymentAt: input.lastPaymentAt ? new Date(input.lastPaymentAt) : null }
            : {}),
        },
      });
      await writeAudit(tx, ctx, {
        action: "team.update",
        targetType: "team",
        targetId: team.id,
        organizationId: team.organizationId,
        details: {
          before: { name: access.team.name },
          changed: Object.keys(input).filter((k) => k !== "teamId"),
        },
      });
      if (team.name !== access.team.name) {
        await enqueueJobs(
          tx,
          teamRenameJobs({ id: team.id, name: team.name }, await allRegions(tx)),
        );
      }
      if (billing.length > 0) {
        // A payment (or always-free) ends an `expired` block now, not at the next sweep; a
        // payment date moved back (or always-free turned off) may start one now.
        const rule = [
          ctx.clock.now(),
          ctx.config.expiryGraceDays,
          ctx.config.expiredBlockGraceDays,
        ] as const;
        if (!(await liftExpiredIfPaid(tx, team.id, ...rule)))
          await blockIfExpired(tx, team.id, ...rule);
      }
      return team;
    });
    ctx.jobs?.nudge();
    return {
      id: updated.id,
      name: updated.name,
      alwaysFree: updated.alwaysFree,
      lastPaymentAt: toIsoOrNull(updated.lastPaymentAt),
    };
  });

export const deleteTeam = teamProcedure("manage", ZTeamIdInput)
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.$transaction(async (tx) => {
      // Lock the team so a key cannot be created between the check and the delete.
      const [team] = await tx.$queryRaw<
        { id: string; name: string; organization_id: string | null }[]
      >`
        SELECT id, name, organization_id FROM teams WHERE id = ${input.teamId}::uuid FOR UPDATE`;
      if (!team) throw notFound("Team");
      // Keys live on LiteLLM proxies too; deleting the rows here would orphan them there.
      const keys = await tx.apiKey.count({ where: { teamId: team.id } });
      if (keys > 0)
        throw preconditionFailed(`The team still has ${keys} key(s); delete them first`, { keys });
      const members = await tx.teamMember.count({ where: { teamId: team.id } });
      await tx.team.delete({ where: { id: team.id } });
      // It owns no keys (checked above), so deleting it on the proxies takes none with it.
      await enqueueJobs(tx, teamDeleteJobs(team.id, await allRegions(tx)));
      await writeAudit(tx, ctx, {
        action: "team.delete",
        targetType: "team",
        targetId: team.id,
        organizationId: team.organization_id,
        details: { name: team.name, members },
      });
    });
    ctx.jobs?.nudge();
    return { ok: true as const };
  });
