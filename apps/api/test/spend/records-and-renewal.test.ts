/**
 * Billing records survive the teams they describe, and products renew. Over real HTTP
 * against two LiteLLM contract servers (`oss`), a real worker and database:
 * - a deleted team's and a merged-away team's spend stay in teams.spendReport for the
 *   month they were counted, under their own id and name with their fate, and count in
 *   their organization's total; a spend sync after the deletion does not touch them;
 * - the worker prunes spend history older than GATEHOUSE_SPEND_RETENTION_DAYS, nothing newer;
 * - a product lapses once its renewal period plus the expiry grace has passed (LAPSED,
 *   audited, the proxies lose what it granted, the team's expiry rule applies) and a
 *   payment renews it (ACTIVE, pushed again).
 */
import { litellmTeamId, utcDay } from "@gatehouse/core";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPaymentToProducts, lapseProducts } from "@gatehouse/db";
import { syncRegionSpend } from "../../src/spend/sync.ts";
import { startHarness, sweepOnDemand, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { clientFor, setSpend } from "../support/contract-spend.ts";
import { barrier, waitForLockWaiters } from "../support/database.ts";

const DAY_MS = 86_400_000;
const DEFAULT = { maxBudgetUsd: 5, budgetDuration: "30d", models: ["trial-model"] };
const RETENTION_DAYS = 800;

let h: SyncHarness;
let us: ContractServer;
let usRegion: { id: string; name: string };
let admin: { id: string; creds: Credentials };
let orgAdmin: { id: string; creds: Credentials };
let org: string;
/** The clock of the worker's sweep and of the API, moved together by the tests. */
let now = new Date();

async function syncBoth(): Promise<void> {
  await syncRegionSpend({ db: h.db, client: clientFor(h.litellm), region: h.region, holder: "t" });
  await syncRegionSpend({ db: h.db, client: clientFor(us), region: usRegion, holder: "t" });
}

async function teamInfo(
  server: ContractServer,
  id: string,
): Promise<Record<string, unknown> | null> {
  const res = await fetch(`${server.url}/team/info?team_id=${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${fx.LITELLM_MASTER_KEY}` },
  });
  if (res.status === 404) return null;
  return ((await res.json()) as { team_info: Record<string, unknown> }).team_info;
}

const proxies = () => [
  { server: h.litellm, region: h.region },
  { server: us, region: usRegion },
];

/** A team of the organization, as it exists on both proxies (spend is set on them). */
async function createTeam(name: string): Promise<string> {
  const { id } = await h.mutationOk<{ id: string }>(
    "teams.create",
    { name, organizationId: org },
    admin.creds,
  );
  for (const { server, region } of proxies())
    await clientFor(server).ensureTeam({ teamId: litellmTeamId(region.name, id), teamAlias: name });
  return id;
}

async function report(organizationId?: string) {
  const today = utcDay(new Date());
  const from = `${today.slice(0, 8)}01`;
  const result = await h.queryOk<Out<"teams.spendReport">>(
    "teams.spendReport",
    { from, to: today, ...(organizationId ? { organizationId } : {}) },
    admin.creds,
  );
  const [header, ...lines] = result.csv.trim().split("\r\n");
  const columns = header!.split(",");
  const rows = new Map(
    lines.map((line) => {
      const cells = line.split(",");
      const row = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
      return [row.team_id!, row];
    }),
  );
  return { result, columns, rows };
}

beforeAll(async () => {
  h = await startHarness({
    env: { GATEHOUSE_DEFAULT_ENTITLEMENT: JSON.stringify(DEFAULT) },
    litellm: {
      worker: sweepOnDemand(() => now, { extraGraceDays: 0, spendRetentionDays: RETENTION_DAYS }),
    },
  });
  ({ litellm: us, region: usRegion } = await h.addRegion("us east"));
  admin = await fx.insertUserWithSession(h, { email: "admin@books.test", isSystemAdmin: true });
  orgAdmin = await fx.insertUserWithSession(h, { email: "orgadmin@books.test" });
  org = await fx.insertOrganization(h.db, "Books Org");
  await fx.addOrgMember(h.db, org, orgAdmin.id, "ORG_ADMIN");
}, 60_000);

afterAll(() => h?.close());

describe("spend of teams that no longer exist", () => {
  it("a deleted and a merged-away team stay in the month's report with their fate, and in the organization's total", async () => {
    const kept = await createTeam("Books kept");
    const deleted = await createTeam("Books deleted");
    const merged = await createTeam("Books merged");
    await h.converge();
    const spendOn = (region: { name: string }, teamId: string, spend: number) => ({
      teamId: litellmTeamId(region.name, teamId),
      spend,
    });
    await setSpend(h.litellm, {
      teams: [
        spendOn(h.region, kept, 1),
        spendOn(h.region, deleted, 2),
        spendOn(h.region, merged, 4),
      ],
    });
    await setSpend(us, { teams: [spendOn(usRegion, deleted, 0.5), spendOn(usRegion, merged, 8)] });
    await syncBoth();

    await h.mutationOk("teams.delete", { teamId: deleted }, admin.creds);
    // The proxies still hold the deleted team (its delete job has not run) and report more
    // spend: the sync must neither revive nor overwrite the ended team's points.
    await setSpend(h.litellm, { teams: [spendOn(h.region, deleted, 100)] });
    await syncBoth();
    await h.converge();

    await h.mutationOk(
      "teams.merge",
      { sourceTeamId: merged, targetTeamId: kept, strategy: "cancel" },
      admin.creds,
    );
    await h.converge();

    const { result, columns, rows } = await report(org);
    expect(columns.at(-1)).toBe("fate");
    expect(rows.get(kept)).toMatchObject({
      team_name: "Books kept",
      spend_usd: "1.000000",
      fate: "active",
    });
    expect(rows.get(deleted)).toMatchObject({
      team_name: "Books deleted",
      organization_id: org,
      organization_name: "Books Org",
      spend_usd: "2.500000",
      by_region: "eu west=2.000000;us east=0.500000",
      fate: "deleted",
    });
    expect(rows.get(merged)).toMatchObject({
      team_name: "Books merged",
      spend_usd: "12.000000",
      fate: `merged:${kept}`,
    });
    expect(result.teams).toBe(3);
    // The organization's period total counts the teams that no longer exist.
    expect(result.totalUsd).toBe(15.5);

    // Everything (system admin, no organization) has them too.
    const all = await report();
    expect(all.rows.get(deleted)?.fate).toBe("deleted");

    // The trail of who ended them stays.
    const trail = await h.db.prisma.auditEvent.findMany({
      where: { targetId: { in: [deleted, kept] }, action: { in: ["team.delete", "team.merge"] } },
      select: { action: true, actorUserId: true },
    });
    expect(trail).toEqual(
      expect.arrayContaining([
        { action: "team.delete", actorUserId: admin.id },
        { action: "team.merge", actorUserId: admin.id },
      ]),
    );
  });
});

describe("spend retention", () => {
  it("the worker prunes daily points older than GATEHOUSE_SPEND_RETENTION_DAYS and keeps the rest", async () => {
    const teamId = await createTeam("Books retention");
    const day = (daysAgo: number) => utcDay(new Date(now.getTime() - daysAgo * DAY_MS));
    const days = [RETENTION_DAYS + 30, RETENTION_DAYS, RETENTION_DAYS - 1, 10];
    for (const [i, d] of days.entries()) {
      await h.db.pool.query(
        `INSERT INTO team_spend_daily (team_id, region_id, day, spend_usd, as_of)
         VALUES ($1::uuid, $2::uuid, $3::date, $4, $3::date + interval '23 hours')`,
        [teamId, h.region.id, day(d), i + 1],
      );
    }
    await h.worker.enforceDue();
    const { rows } = await h.db.pool.query<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM team_spend_daily WHERE team_id = $1::uuid ORDER BY day`,
      [teamId],
    );
    // 800 days kept, today included: the point 800 days back is the first one pruned.
    expect(rows.map((r) => r.day)).toEqual([day(RETENTION_DAYS - 1), day(10)]);
  });
});

describe("products renew", () => {
  it("a product lapses after its period plus the grace (the proxies lose its grant) and a payment renews it", async () => {
    const productId = (
      await h.mutationOk<Out<"products.create">>(
        "products.create",
        {
          name: "Books monthly",
          renewalPeriodDays: 30,
          limits: { maxBudgetUsd: 250, models: ["gpt-4o"] },
        },
        admin.creds,
      )
    ).id;
    const teamId = await createTeam("Books subscriber");
    await h.mutationOk("products.attach", { teamId, productId }, admin.creds);
    await h.converge();
    for (const { server, region } of proxies())
      expect(await teamInfo(server, litellmTeamId(region.name, teamId))).toMatchObject({
        max_budget: 250,
        models: ["gpt-4o"],
        blocked: false,
      });
    const get = () => h.queryOk<Out<"teams.get">>("teams.get", { teamId }, admin.creds);
    const attachedAt = new Date((await get()).products[0]!.createdAt);
    expect((await get()).products[0]!.renewsOn).toBe(
      new Date(attachedAt.getTime() + 30 * DAY_MS).toISOString(),
    );

    // 30 days of period + 30 of grace: on the 60th day it still holds.
    now = new Date(attachedAt.getTime() + 60 * DAY_MS);
    await h.worker.enforceDue();
    await h.converge();
    expect((await get()).products[0]!.status).toBe("ACTIVE");

    // A moment later it lapses.
    now = new Date(attachedAt.getTime() + 60 * DAY_MS + 60_000);
    await h.worker.enforceDue();
    await h.converge();
    const lapsed = await get();
    expect(lapsed.products[0]).toMatchObject({
      status: "LAPSED",
      renewsOn: null,
      lapsedOn: now.toISOString(),
    });
    expect(lapsed.activeProducts).toEqual([]);
    expect(lapsed.renewals).toEqual([
      {
        productId,
        name: "Books monthly",
        status: "LAPSED",
        renewsOn: null,
        lapsedOn: now.toISOString(),
      },
    ]);
    // The team's expiry rule then applies (the sweep's clock): never paid, created 60 days
    // ago, no grace left.
    expect(lapsed.blockReasons.map((b) => b.reason)).toEqual(["expired"]);
    expect(
      await h.db.prisma.auditEvent.count({ where: { targetId: teamId, action: "product.lapse" } }),
    ).toBe(1);
    for (const { server, region } of proxies())
      expect(await teamInfo(server, litellmTeamId(region.name, teamId))).toMatchObject({
        max_budget: 5,
        models: ["trial-model"],
        blocked: true,
      });
    // A second round finds nothing more to lapse.
    await h.worker.enforceDue();
    expect(
      await h.db.prisma.auditEvent.count({ where: { targetId: teamId, action: "product.lapse" } }),
    ).toBe(1);
    const listed = await h.queryOk<Out<"teams.list">>("teams.list", { teamId }, admin.creds);
    expect(listed.items[0]?.renewals[0]).toMatchObject({ status: "LAPSED" });

    // Recording a payment renews it: active again, pushed again, the expired block lifted.
    await h.mutationOk("teams.update", { teamId, lastPaymentAt: now.toISOString() }, admin.creds);
    await h.converge();
    const renewed = await get();
    expect(renewed.products[0]).toMatchObject({
      status: "ACTIVE",
      lapsedOn: null,
      renewsOn: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
    });
    expect(renewed.blockReasons).toEqual([]);
    expect(
      await h.db.prisma.auditEvent.count({ where: { targetId: teamId, action: "product.renew" } }),
    ).toBe(1);
    for (const { server, region } of proxies())
      expect(await teamInfo(server, litellmTeamId(region.name, teamId))).toMatchObject({
        max_budget: 250,
        models: ["gpt-4o"],
        blocked: false,
      });
    // The new period runs from the payment: the sweep leaves it alone until it is over.
    now = new Date(now.getTime() + 59 * DAY_MS);
    await h.worker.enforceDue();
    expect((await get()).products[0]!.status).toBe("ACTIVE");
  });

  it("a payment dated before the lapse renews nothing; a lapsed product can be detached, or attached again as a new subscription", async () => {
    const productId = (
      await h.mutationOk<Out<"products.create">>(
        "products.create",
        { name: "Books weekly", renewalPeriodDays: 7, limits: {} },
        admin.creds,
      )
    ).id;
    const lapse = async (teamId: string) => {
      const attachedAt = new Date(
        (await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, admin.creds)).products[0]!
          .createdAt,
      );
      now = new Date(attachedAt.getTime() + 38 * DAY_MS);
      await h.worker.enforceDue();
      await h.converge();
      return attachedAt;
    };
    let creds = admin.creds;
    const statuses = async (teamId: string) =>
      (await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, creds)).products.map(
        (p) => p.status,
      );

    const late = await createTeam("Books late payer");
    await h.mutationOk("products.attach", { teamId: late, productId }, admin.creds);
    const attachedAt = await lapse(late);
    expect(await statuses(late)).toEqual(["LAPSED"]);
    // The API's clock too (renewal is judged when the payment is recorded), with a session
    // opened then.
    h.clock.set(now);
    creds = { cookie: await fx.insertSession(h, admin.id) };
    // Paid half a day after attaching (recorded 38 days later): that period (7 days + 30 of
    // grace) is over too.
    await h.mutationOk(
      "teams.update",
      { teamId: late, lastPaymentAt: new Date(attachedAt.getTime() + DAY_MS / 2).toISOString() },
      creds,
    );
    expect(await statuses(late)).toEqual(["LAPSED"]);
    // Detaching a lapsed product cancels it: no later payment renews it.
    await h.mutationOk("products.detach", { teamId: late, productId }, creds);
    await h.mutationOk("teams.update", { teamId: late, lastPaymentAt: now.toISOString() }, creds);
    expect(await statuses(late)).toEqual(["CANCELLED"]);
    h.clock.set(new Date());
    creds = admin.creds;

    const again = await createTeam("Books attach again");
    await h.mutationOk("products.attach", { teamId: again, productId }, admin.creds);
    await lapse(again);
    h.clock.advance(1_000);
    await h.mutationOk("products.attach", { teamId: again, productId }, admin.creds);
    // Newest first: the new subscription, and the lapsed one cancelled.
    expect(await statuses(again)).toEqual(["ACTIVE", "CANCELLED"]);
  });

  it("a payment racing the sweep wins: the sweep waits for the payment's lock and lapses nothing it renewed", async () => {
    const product = await h.db.prisma.product.create({
      data: { name: "Books race", renewalPeriodDays: 30 },
    });
    const teamId = await createTeam("Books race");
    const at = new Date();
    // Attached 100 days ago and never paid: due to lapse at `at`.
    await h.db.prisma.teamProduct.create({
      data: {
        teamId,
        productId: product.id,
        createdAt: new Date(at.getTime() - 100 * DAY_MS),
        periodStart: new Date(at.getTime() - 100 * DAY_MS),
      },
    });
    const paid = barrier();
    const release = barrier();
    const payment = h.db.prisma.$transaction(async (tx) => {
      await tx.team.update({ where: { id: teamId }, data: { lastPaymentAt: at } });
      await applyPaymentToProducts(tx, teamId, at, at, 30);
      paid.open();
      await release.promise;
    });
    await paid.promise;
    const sweep = lapseProducts(h.db.pool, { now: at, expiryGraceDays: 30, extraGraceDays: 0 });
    await waitForLockWaiters(h.db);
    release.open();
    await payment;
    await sweep;
    const row = await h.db.prisma.teamProduct.findFirstOrThrow({ where: { teamId } });
    expect(row).toMatchObject({ status: "ACTIVE", lapsedAt: null, periodStart: at });
    expect(
      await h.db.prisma.auditEvent.count({ where: { targetId: teamId, action: "product.lapse" } }),
    ).toBe(0);
  });
});
