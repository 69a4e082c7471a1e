/**
 * The alert evaluation's SQL against core's rules and ids (core alerts.ts): the ids the
 * set-based statements and the block triggers write are the ones core's envelope builders
 * make, so an event raised in SQL and the same one raised in TypeScript are one event.
 */
import {
  budgetForecastEvent,
  budgetThresholdEvent,
  epochPartSql,
  eventIdSql,
  eventId,
  expiryWarningDue,
  expiryWarningEvent,
  teamExpiresAt,
  forecastExhaustion,
  teamBlockEvent,
} from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateExpiryWarnings, evaluateSpendAlerts } from "../src/alerts/index.ts";
import { writeTeamSpendPage } from "../src/spend/write.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

async function events(teamId: string) {
  return db.prisma.event.findMany({ where: { teamId }, orderBy: { id: "asc" } });
}

async function setup(name: string) {
  const org = await db.prisma.organization.create({ data: { name: `org ${name}` } });
  const team = await db.prisma.team.create({ data: { name, organizationId: org.id } });
  const region = await db.prisma.region.create({
    data: { name: `r ${name}`, litellmBaseUrl: "http://127.0.0.1:1", litellmMasterKey: "sk-x" },
  });
  return { org, team, region };
}

describe("eventIdSql agrees with eventId", () => {
  it.each([new Date("2026-12-31T23:59:59.999Z"), new Date(0), null])("epoch %s", async (at) => {
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT ${eventIdSql("budget.threshold", ["$1::text", "'total'", epochPartSql("$2::timestamptz"), "90::text"])} AS id`,
      ["t", at],
    );
    expect(rows[0]!.id).toBe(
      eventId("budget.threshold", ["t", "total", at?.getTime() ?? null, 90]),
    );
  });
});

describe("evaluateSpendAlerts", () => {
  it("raises every threshold crossed once, with core's ids and bodies, and queues their dispatch", async () => {
    const { org, team, region } = await setup("thresholds");
    const reset = new Date("2027-01-01T00:00:00.000Z");
    const now = new Date("2026-12-06T10:00:00.000Z");
    await writeTeamSpendPage(
      db,
      region.id,
      [
        {
          teamId: team.id,
          spendUsd: 91,
          maxBudgetUsd: 100,
          budgetDuration: "30d",
          budgetResetAt: reset,
        },
      ],
      now,
    );
    const first = await evaluateSpendAlerts(db, { regionId: region.id, now });
    expect(first).toEqual({ teams: 1, thresholds: 3, forecasts: 0 });
    const expected = [50, 75, 90].map((t) =>
      budgetThresholdEvent({
        at: now,
        organizationId: org.id,
        teamId: team.id,
        regionId: region.id,
        thresholdPercent: t,
        spendUsd: 91,
        budgetUsd: 100,
        periodResetAt: reset,
      }),
    );
    const stored = await events(team.id);
    expect(stored.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    for (const e of expected) {
      const row = stored.find((s) => s.id === e.id)!;
      expect(row.data).toEqual(e.data);
      expect(row.organizationId).toBe(org.id);
      expect(row.occurredAt.toISOString()).toBe(e.timestamp);
    }
    const dispatch = await db.prisma.job.findMany({ where: { kind: "events.dispatch" } });
    for (const e of expected)
      expect(
        dispatch.filter((j) => (j.payload as { eventId: string }).eventId === e.id),
      ).toHaveLength(1);

    // Nothing changed: nothing is looked at. The same reading again: marked, raises nothing.
    expect(await evaluateSpendAlerts(db, { regionId: region.id, now })).toEqual({
      teams: 0,
      thresholds: 0,
      forecasts: 0,
    });
    await writeTeamSpendPage(
      db,
      region.id,
      [
        {
          teamId: team.id,
          spendUsd: 91,
          maxBudgetUsd: 100,
          budgetDuration: "30d",
          budgetResetAt: reset,
        },
      ],
      now,
    );
    expect(await evaluateSpendAlerts(db, { regionId: region.id, now })).toEqual({
      teams: 0,
      thresholds: 0,
      forecasts: 0,
    });

    // A reset (new period) re-arms.
    const next = new Date("2027-01-31T00:00:00.000Z");
    await writeTeamSpendPage(
      db,
      region.id,
      [
        {
          teamId: team.id,
          spendUsd: 60,
          maxBudgetUsd: 100,
          budgetDuration: "30d",
          budgetResetAt: next,
        },
      ],
      now,
    );
    expect(await evaluateSpendAlerts(db, { regionId: region.id, now })).toMatchObject({
      teams: 1,
      thresholds: 1,
    });
  });

  it("uses the organization's thresholds and raises the total of a team on two regions", async () => {
    const { org, team, region } = await setup("total");
    const other = await db.prisma.region.create({
      data: { name: "r total 2", litellmBaseUrl: "http://127.0.0.1:1", litellmMasterKey: "sk-x" },
    });
    await db.prisma.alertSettings.create({
      data: { organizationId: org.id, budgetThresholds: [80], expiryWarningDays: [7] },
    });
    const now = new Date("2026-12-06T10:00:00.000Z");
    await writeTeamSpendPage(
      db,
      other.id,
      [
        {
          teamId: team.id,
          spendUsd: 90,
          maxBudgetUsd: 100,
          budgetDuration: null,
          budgetResetAt: null,
        },
      ],
      now,
    );
    await evaluateSpendAlerts(db, { regionId: other.id, now });
    await writeTeamSpendPage(
      db,
      region.id,
      [
        {
          teamId: team.id,
          spendUsd: 75,
          maxBudgetUsd: 100,
          budgetDuration: null,
          budgetResetAt: null,
        },
      ],
      now,
    );
    await evaluateSpendAlerts(db, { regionId: region.id, now });
    const ids = (await events(team.id)).map((e) => e.id).sort();
    expect(ids).toEqual(
      [
        eventId("budget.threshold", [team.id, other.id, null, 80]),
        // 165 of 200: 82.5 %
        eventId("budget.threshold", [team.id, "total", null, 80]),
      ].sort(),
    );
  });

  it("forecasts from the daily points as core does", async () => {
    const { org, team, region } = await setup("forecast");
    const reset = new Date("2027-01-01T00:00:00.000Z");
    const now = new Date("2026-12-10T12:00:00.000Z");
    await db.prisma.teamSpendDaily.createMany({
      data: [
        {
          teamId: team.id,
          regionId: region.id,
          day: new Date("2026-12-02"),
          spendUsd: 0,
          budgetResetAt: reset,
          asOf: now,
        },
        {
          teamId: team.id,
          regionId: region.id,
          day: new Date("2026-12-03"),
          spendUsd: 0,
          budgetResetAt: reset,
          asOf: now,
        },
        {
          teamId: team.id,
          regionId: region.id,
          day: new Date("2026-12-06"),
          spendUsd: 30,
          budgetResetAt: reset,
          asOf: now,
        },
      ],
    });
    await writeTeamSpendPage(
      db,
      region.id,
      [
        {
          teamId: team.id,
          spendUsd: 35,
          maxBudgetUsd: 100,
          budgetDuration: "30d",
          budgetResetAt: reset,
        },
      ],
      now,
    );
    const outcome = await evaluateSpendAlerts(db, { regionId: region.id, now });
    expect(outcome.forecasts).toBe(1);
    const forecast = forecastExhaustion({
      spendUsd: 35,
      budgetUsd: 100,
      budgetResetAt: reset,
      asOf: now,
      baseline: { day: "2026-12-03", spendUsd: 0 },
    });
    expect(forecast).toEqual({ dailyRateUsd: 5, exhaustedOn: "2026-12-23" });
    const expected = budgetForecastEvent({
      at: now,
      organizationId: org.id,
      teamId: team.id,
      regionId: region.id,
      spendUsd: 35,
      budgetUsd: 100,
      periodResetAt: reset,
      forecast: forecast!,
    });
    const stored = (await events(team.id)).find((e) => e.type === "budget.forecast")!;
    expect(stored.id).toBe(expected.id);
    expect(stored.data).toEqual(expected.data);
  });
});

describe("evaluateExpiryWarnings", () => {
  it("warns at 7 and then 1 days left, once each, with core's ids", async () => {
    const { org, team } = await setup("expiry");
    const paid = new Date("2026-11-13T12:00:00.000Z");
    await db.prisma.team.update({ where: { id: team.id }, data: { lastPaymentAt: paid } });
    const expiresAt = teamExpiresAt(paid, team.createdAt, 30);
    const rule = { expiryGraceDays: 30, extraGraceDays: 0 };
    for (const [now, threshold] of [
      [new Date("2026-12-06T12:00:00.000Z"), 7],
      [new Date("2026-12-12T13:00:00.000Z"), 1],
    ] as const) {
      const due = expiryWarningDue(expiresAt, now, [1, 7, 14]);
      expect(due?.threshold).toBe(threshold);
      const expected = expiryWarningEvent({
        at: now,
        organizationId: org.id,
        teamId: team.id,
        expiresAt,
        threshold: due!.threshold,
        daysLeft: due!.daysLeft,
      });
      await evaluateExpiryWarnings(db, { now, ...rule });
      expect(await evaluateExpiryWarnings(db, { now, ...rule })).toBe(0);
      const stored = await db.prisma.event.findUniqueOrThrow({ where: { id: expected.id } });
      expect(stored.data).toEqual(expected.data);
    }
    expect((await events(team.id)).map((e) => e.type)).toEqual([
      "team.expiry_warning",
      "team.expiry_warning",
    ]);
  });
});

describe("block triggers", () => {
  it("a team block and its lift raise team.blocked / team.unblocked with core's ids", async () => {
    const { org, team } = await setup("blocks");
    const createdAt = new Date("2026-12-06T10:00:00.123Z");
    await db.prisma.teamBlock.create({
      data: { teamId: team.id, reason: "manual", note: "why", createdAt },
    });
    await db.prisma.teamBlock.delete({
      where: { teamId_reason: { teamId: team.id, reason: "manual" } },
    });
    const stored = await events(team.id);
    const subject = {
      at: createdAt,
      organizationId: org.id,
      teamId: team.id,
      reason: "manual",
      note: "why",
      blockCreatedAt: createdAt,
    };
    const blocked = teamBlockEvent({ ...subject, lifted: false });
    const unblocked = teamBlockEvent({ ...subject, lifted: true });
    expect(stored.map((e) => e.id).sort()).toEqual([blocked.id, unblocked.id].sort());
    expect(stored.find((e) => e.id === blocked.id)!.data).toEqual(blocked.data);
    expect(stored.find((e) => e.id === unblocked.id)!.data).toEqual(unblocked.data);
    const jobs = await db.prisma.job.findMany({ where: { kind: "events.dispatch" } });
    expect(
      jobs.filter((j) =>
        [blocked.id, unblocked.id].includes((j.payload as { eventId: string }).eventId),
      ),
    ).toHaveLength(2);
  });
});
