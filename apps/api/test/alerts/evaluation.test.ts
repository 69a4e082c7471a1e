/**
 * Gatehouse finds the signals and records each as one event with one dispatch job. Over real
 * HTTP against the LiteLLM contract server (spend, budget reset), a real worker (the expiry
 * sweep round) and database:
 * - spend crossing 50 and 90 % in one sync raises both thresholds once; a second sync
 *   raises nothing; a budget reset re-arms them;
 * - the forecast fires from planted daily points;
 * - expiry warnings at 7 and then 1 days from a planted payment date, once each;
 * - a manual block raises team.blocked, its lift team.unblocked.
 */
import { litellmTeamId } from "@gatehouse/core";
import { saveAlertSettings, transaction } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncRegionSpend } from "../../src/spend/sync.ts";
import { startHarness, sweepOnDemand, type SyncHarness } from "../support/harness.ts";
import { type Credentials } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { clientFor, setSpend } from "../support/contract-spend.ts";

const DAY_MS = 86_400_000;
let h: SyncHarness;
let admin: { id: string; creds: Credentials };
let org: string;
let sweepNow = new Date();

const sync = () =>
  syncRegionSpend({ db: h.db, client: clientFor(h.litellm), region: h.region, holder: "test" });

async function createTeam(name: string): Promise<string> {
  const { id } = await h.mutationOk<{ id: string }>(
    "teams.create",
    { name, organizationId: org },
    admin.creds,
  );
  await clientFor(h.litellm).ensureTeam({
    teamId: litellmTeamId(h.region.name, id),
    teamAlias: name,
    limits: { maxBudget: 100, budgetDuration: "30d", tpmLimit: null, rpmLimit: null, models: [] },
  });
  return id;
}

const spend = (teamId: string, usd: number) =>
  setSpend(h.litellm, {
    teams: [{ teamId: litellmTeamId(h.region.name, teamId), spend: usd, maxBudget: 100 }],
  });

const eventsOf = (teamId: string, type?: string) =>
  h.db.prisma.event.findMany({
    where: { teamId, ...(type ? { type } : {}) },
    orderBy: { createdAt: "asc" },
  });

async function dispatchJobsFor(ids: readonly string[]): Promise<number> {
  const jobs = await h.db.prisma.job.findMany({ where: { kind: "events.dispatch" } });
  return jobs.filter((j) => ids.includes((j.payload as { eventId: string }).eventId)).length;
}

beforeAll(async () => {
  h = await startHarness({
    litellm: { worker: sweepOnDemand(() => sweepNow, { extraGraceDays: 0 }) },
  });
  admin = await fx.insertUserWithSession(h, { email: "admin@alerts.test", isSystemAdmin: true });
  org = await fx.insertOrganization(h.db, "Alerts Org");
}, 60_000);

afterAll(() => h?.close());

describe("budget thresholds after a spend sync", () => {
  it("crossing 50 and 90 % in one sync raises both once; a second sync nothing; a reset re-arms", async () => {
    await transaction(h.db, (tx) =>
      saveAlertSettings(tx, org, {
        budgetThresholds: [50, 90],
        expiryWarningDays: [14, 7, 1],
        emailRecipients: {},
      }),
    );
    const team = await createTeam("thresholds");
    await spend(team, 95);
    const first = await sync();
    expect(first.alerts.thresholds).toBe(2);
    const raised = await eventsOf(team, "budget.threshold");
    expect(
      raised.map((e) => (e.data as { thresholdPercent: number }).thresholdPercent).sort(),
    ).toEqual([50, 90]);
    for (const e of raised) {
      expect(e.organizationId).toBe(org);
      expect(e.data).toMatchObject({
        teamId: team,
        regionId: h.region.id,
        spendUsd: 95,
        budgetUsd: 100,
      });
    }
    expect(await dispatchJobsFor(raised.map((e) => e.id))).toBe(2);

    const second = await sync();
    expect(second.alerts).toEqual({ teams: 0, thresholds: 0, forecasts: 0 });
    expect(await eventsOf(team, "budget.threshold")).toHaveLength(2);
    expect(await dispatchJobsFor(raised.map((e) => e.id))).toBe(2);

    // The proxy resets the budget (spend 0, the next reset date): a new period.
    const res = await fetch(`${h.litellm.url}/__control/reset-budgets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ at: new Date(Date.now() + 40 * DAY_MS).toISOString() }),
    });
    expect(res.status).toBe(200);
    expect((await sync()).alerts.thresholds).toBe(0);
    await spend(team, 60);
    expect((await sync()).alerts.thresholds).toBe(1);
    const after = await eventsOf(team, "budget.threshold");
    expect(after).toHaveLength(3);
    const [again] = after.filter((e) => !raised.some((r) => r.id === e.id));
    expect(again!.data).toMatchObject({ thresholdPercent: 50, spendUsd: 60 });
    expect((again!.data as { periodResetAt: string }).periodResetAt).not.toBe(
      (raised[0]!.data as { periodResetAt: string }).periodResetAt,
    );
  });
});

describe("forecast", () => {
  it("fires from the daily points when the budget runs out before the reset", async () => {
    const team = await createTeam("forecast");
    await spend(team, 10);
    await sync();
    const reading = await h.db.prisma.teamSpend.findFirstOrThrow({ where: { teamId: team } });
    // Five days ago the period had spent nothing: 40 in 5 days is 8 a day, 60 left.
    const day = new Date(Date.now() - 5 * DAY_MS);
    await h.db.prisma.teamSpendDaily.create({
      data: {
        teamId: team,
        regionId: h.region.id,
        day: new Date(day.toISOString().slice(0, 10)),
        spendUsd: 0,
        budgetResetAt: reading.budgetResetAt,
        asOf: day,
      },
    });
    await spend(team, 40);
    const before = Date.now();
    expect((await sync()).alerts.forecasts).toBe(1);
    const after = Date.now();
    const [forecast] = await eventsOf(team, "budget.forecast");
    expect(forecast!.data).toMatchObject({
      teamId: team,
      spendUsd: 40,
      budgetUsd: 100,
      dailyRateUsd: 8,
    });
    // 60 left at 8 a day: 7.5 days from the sync (whichever instant of it).
    const dayAt = (t: number) => new Date(t + 7.5 * DAY_MS).toISOString().slice(0, 10);
    expect([dayAt(before), dayAt(after)]).toContain(
      (forecast!.data as { exhaustedOn: string }).exhaustedOn,
    );
    // The same forecast at the next sync is the same event.
    await spend(team, 40.000001);
    await sync();
    expect(await eventsOf(team, "budget.forecast")).toHaveLength(1);
  });
});

describe("expiry warnings", () => {
  it("warn at 7 and then 1 days left from a planted payment date, once each", async () => {
    const team = await createTeam("expiring");
    const start = new Date();
    sweepNow = start;
    // Paid 23 days ago: with a 30-day grace, blocked in 7 days.
    await h.mutationOk(
      "teams.update",
      { teamId: team, lastPaymentAt: new Date(start.getTime() - 23 * DAY_MS).toISOString() },
      admin.creds,
    );
    await h.worker.enforceDue();
    await h.worker.enforceDue();
    let warnings = await eventsOf(team, "team.expiry_warning");
    expect(warnings.map((e) => (e.data as { daysLeft: number }).daysLeft)).toEqual([7]);
    sweepNow = new Date(start.getTime() + 6 * DAY_MS + 3_600_000);
    await h.worker.enforceDue();
    await h.worker.enforceDue();
    warnings = await eventsOf(team, "team.expiry_warning");
    expect(warnings.map((e) => (e.data as { daysLeft: number }).daysLeft)).toEqual([7, 1]);
    expect(await dispatchJobsFor(warnings.map((e) => e.id))).toBe(2);
    sweepNow = new Date();
  });
});

describe("access events", () => {
  it("a manual block raises team.blocked with its note; the lift team.unblocked", async () => {
    const team = await createTeam("blocked");
    await h.mutationOk("teams.block", { teamId: team, reason: "unpaid invoice" }, admin.creds);
    const [blocked] = await eventsOf(team, "team.blocked");
    expect(blocked!.data).toEqual({ teamId: team, reason: "manual", note: "unpaid invoice" });
    expect(blocked!.organizationId).toBe(org);
    await h.mutationOk("teams.unblock", { teamId: team }, admin.creds);
    const [unblocked] = await eventsOf(team, "team.unblocked");
    expect(unblocked!.data).toEqual({ teamId: team, reason: "manual" });
    expect(await dispatchJobsFor([blocked!.id, unblocked!.id])).toBe(2);
  });
});
