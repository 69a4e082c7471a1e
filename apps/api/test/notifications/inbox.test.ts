/**
 * The people channel of events, end to end: an event emitted in a transaction is dispatched
 * by the worker to the people it concerns as in-app notifications (notifications.list) and
 * as mails over real SMTP; a person who opted out of a type gets the notification, not the
 * mail; an organization's choice of recipients is followed; a dispatch run twice tells no one
 * twice; markRead touches only the caller's own rows; bad settings change nothing.
 */
import crypto from "node:crypto";
import { eventId, jobs, type EventEnvelope } from "@gatehouse/core";
import { emitEvents, enqueueJobs, transaction } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type MailHarness } from "../support/harness.ts";
import {
  addOrgMember,
  addTeamMember,
  insertOrganization,
  insertTeam,
  people,
  uniqueName,
  type Person,
} from "../support/fixtures.ts";
import { addressOf } from "../support/smtp.ts";

let h: MailHarness;
let person: ReturnType<typeof people>;
beforeAll(async () => {
  h = await startHarness({ smtp: true });
  person = people(h, "inbox.test");
});
afterAll(() => h?.close());

interface ListOutput {
  items: Array<{
    id: string;
    eventId: string;
    type: string;
    title: string;
    summary: string;
    team: { id: string; name: string } | null;
    organization: { id: string; name: string } | null;
    readAt: string | null;
  }>;
  nextCursor: string | null;
  unreadCount: number;
}

interface World {
  organizationId: string;
  teamId: string;
  teamName: string;
  teamAdmin: Person;
  optedOutAdmin: Person;
  orgAdmin: Person;
  member: Person;
}

async function world(): Promise<World> {
  const organizationId = await insertOrganization(h.db, uniqueName("inbox-org"));
  const teamName = uniqueName("inbox-team");
  const teamId = await insertTeam(h.db, { name: teamName, organizationId });
  const teamAdmin = await person("team-admin");
  const optedOutAdmin = await person("quiet-admin");
  const orgAdmin = await person("org-admin");
  const member = await person("member");
  for (const p of [teamAdmin, optedOutAdmin, member]) {
    await addOrgMember(h.db, organizationId, p.id, "MEMBER");
  }
  await addOrgMember(h.db, organizationId, orgAdmin.id, "ORG_ADMIN");
  await addTeamMember(h.db, teamId, teamAdmin.id, "ADMIN");
  await addTeamMember(h.db, teamId, optedOutAdmin.id, "ADMIN");
  await addTeamMember(h.db, teamId, member.id, "MEMBER");
  return { organizationId, teamId, teamName, teamAdmin, optedOutAdmin, orgAdmin, member };
}

function budgetEvent(w: World, threshold: number): EventEnvelope<"budget.threshold"> {
  const periodResetAt = "2027-01-01T00:00:00.000Z";
  return {
    id: eventId("budget.threshold", [w.teamId, "total", Date.parse(periodResetAt), threshold]),
    type: "budget.threshold",
    timestamp: h.clock.now().toISOString(),
    organizationId: w.organizationId,
    teamId: w.teamId,
    data: {
      teamId: w.teamId,
      regionId: null,
      thresholdPercent: threshold,
      spendUsd: threshold,
      budgetUsd: 100,
      periodResetAt,
    },
  };
}

async function emit(event: EventEnvelope): Promise<void> {
  await transaction(h.db, (tx) => emitEvents(tx, [event]));
  h.worker.nudge();
  await h.converge();
}

async function mailsOf(event: string): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ to_address: string }>(
    `SELECT to_address FROM mails WHERE purpose = 'notification' AND subject = $1 ORDER BY to_address`,
    [event],
  );
  return rows.map((r) => r.to_address);
}

const list = (p: Person, input: Record<string, unknown> = {}) =>
  h.queryOk<ListOutput>("notifications.list", input, p.creds);

describe("an event reaches the people it concerns", () => {
  it("team admins and org admins get a notification and a mail; opted-out people no mail", async () => {
    const w = await world();
    await h.mutationOk(
      "notifications.updatePreferences",
      { emailOptOuts: ["budget.threshold"] },
      w.optedOutAdmin.creds,
    );
    const event = budgetEvent(w, 90);
    await emit(event);

    const subject = `Team ${w.teamName} reached 90% of its budget`;
    const received = await h.smtp.waitFor(
      (m) => m.subject === subject && addressOf(m.to) === w.teamAdmin.email,
    );
    expect(received.text).toContain("$90.00 of its $100.00 budget");
    expect(received.text).toContain(`/teams/${w.teamId}`);
    await h.smtp.waitFor((m) => m.subject === subject && addressOf(m.to) === w.orgAdmin.email);
    expect(await mailsOf(subject)).toEqual([w.orgAdmin.email, w.teamAdmin.email].sort());
    expect(
      h.smtp.messages.filter(
        (m) => m.subject === subject && addressOf(m.to) === w.optedOutAdmin.email,
      ),
    ).toEqual([]);

    for (const p of [w.teamAdmin, w.optedOutAdmin, w.orgAdmin]) {
      const page = await list(p);
      expect(page.unreadCount).toBe(1);
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({
        eventId: event.id,
        type: "budget.threshold",
        title: subject,
        team: { id: w.teamId, name: w.teamName },
        readAt: null,
      });
    }
    expect((await list(w.member)).items).toEqual([]);
  });

  it("follows the organization's choice of mail recipients", async () => {
    const w = await world();
    await h.mutationOk(
      "alerts.updateSettings",
      {
        organizationId: w.organizationId,
        budgetThresholds: [50, 90],
        expiryWarningDays: [7, 1],
        emailRecipients: { "budget.threshold": ["org_admins"] },
      },
      w.orgAdmin.creds,
    );
    await emit(budgetEvent(w, 50));
    const subject = `Team ${w.teamName} reached 50% of its budget`;
    await h.smtp.waitFor((m) => m.subject === subject);
    expect(await mailsOf(subject)).toEqual([w.orgAdmin.email]);
    // In the app, the team's admins hear of it all the same.
    expect((await list(w.teamAdmin)).unreadCount).toBe(1);
  });

  it("a dispatch run twice, or an event emitted twice, tells no one twice", async () => {
    const w = await world();
    const event = budgetEvent(w, 75);
    await emit(event);
    const subject = `Team ${w.teamName} reached 75% of its budget`;
    const before = await mailsOf(subject);
    expect(before).toHaveLength(3);

    await emit(event);
    await transaction(h.db, (tx) => enqueueJobs(tx, [jobs.dispatchEvent({ eventId: event.id })]));
    h.worker.nudge();
    await h.converge();

    expect(await mailsOf(subject)).toEqual(before);
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE event_id = $1`,
      [event.id],
    );
    expect(rows[0]!.n).toBe(3);
  });
});

describe("operations events", () => {
  it("reach system admins only, in the app and by mail", async () => {
    const w = await world();
    const admin = await person("sysadmin", { isSystemAdmin: true });
    const regionId = crypto.randomUUID();
    const event: EventEnvelope<"region.drift"> = {
      id: eventId("region.drift", [regionId, uniqueName("reconciliation")]),
      type: "region.drift",
      timestamp: h.clock.now().toISOString(),
      organizationId: null,
      teamId: null,
      data: { regionId, regionName: "eu-west", reconciliationId: "r-1", differences: 3 },
    };
    await emit(event);
    const subject = "Region eu-west drifted";
    await h.smtp.waitFor((m) => m.subject === subject && addressOf(m.to) === admin.email);
    expect(await mailsOf(subject)).toContain(admin.email);
    expect(await mailsOf(subject)).not.toContain(w.orgAdmin.email);
    const page = await list(admin);
    expect(page.items.map((i) => i.eventId)).toContain(event.id);
    expect(page.items.find((i) => i.eventId === event.id)).toMatchObject({
      team: null,
      organization: null,
      summary: "Reconciling region eu-west found 3 differences.",
    });
    for (const p of [w.teamAdmin, w.orgAdmin]) expect((await list(p)).items).toEqual([]);
  });
});

describe("notifications.markRead", () => {
  it("marks only the caller's own notifications", async () => {
    const w = await world();
    await emit(budgetEvent(w, 100));
    const mine = (await list(w.teamAdmin)).items[0]!;
    const theirs = (await list(w.orgAdmin)).items[0]!;

    const foreign = await h.mutationOk<{ marked: number; unreadCount: number }>(
      "notifications.markRead",
      { ids: [theirs.id] },
      w.teamAdmin.creds,
    );
    expect(foreign).toEqual({ marked: 0, unreadCount: 1 });
    expect((await list(w.orgAdmin)).items[0]!.readAt).toBeNull();

    const own = await h.mutationOk<{ marked: number; unreadCount: number }>(
      "notifications.markRead",
      { ids: [mine.id, theirs.id] },
      w.teamAdmin.creds,
    );
    expect(own).toEqual({ marked: 1, unreadCount: 0 });
    expect((await list(w.teamAdmin)).items[0]!.readAt).not.toBeNull();
    expect((await list(w.teamAdmin, { unreadOnly: true })).items).toEqual([]);
    expect((await list(w.orgAdmin, { unreadOnly: true })).items).toHaveLength(1);
  });

  it("pages newest first with a cursor", async () => {
    const w = await world();
    for (const threshold of [10, 20, 30]) {
      h.clock.advance(1000);
      await emit(budgetEvent(w, threshold));
    }
    const first = await list(w.teamAdmin, { pageSize: 2 });
    expect(first.items.map((i) => i.title)).toEqual([
      `Team ${w.teamName} reached 30% of its budget`,
      `Team ${w.teamName} reached 20% of its budget`,
    ]);
    expect(first.unreadCount).toBe(3);
    const second = await list(w.teamAdmin, { pageSize: 2, cursor: first.nextCursor });
    expect(second.items.map((i) => i.title)).toEqual([
      `Team ${w.teamName} reached 10% of its budget`,
    ]);
    expect(second.nextCursor).toBeNull();
  });
});

describe("alerts settings", () => {
  it("answers field errors for bad settings and changes nothing", async () => {
    const w = await world();
    const before = await h.queryOk(
      "alerts.getSettings",
      { organizationId: w.organizationId },
      w.orgAdmin.creds,
    );
    const res = await h.mutation(
      "alerts.updateSettings",
      {
        organizationId: w.organizationId,
        budgetThresholds: [0, 150],
        expiryWarningDays: ["soon"],
        emailRecipients: { "budget.threshold": ["everyone"] },
      },
      { credentials: w.orgAdmin.creds },
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {}).sort()).toEqual([
      "budgetThresholds.0",
      "budgetThresholds.1",
      "emailRecipients.budget.threshold.0",
      "expiryWarningDays.0",
    ]);
    expect(
      await h.queryOk("alerts.getSettings", { organizationId: w.organizationId }, w.orgAdmin.creds),
    ).toEqual(before);
  });

  it("saves thresholds sorted and unique, and answers every type's recipients", async () => {
    const w = await world();
    const saved = await h.mutationOk<{
      budgetThresholds: number[];
      expiryWarningDays: number[];
      emailRecipients: Record<string, string[]>;
    }>(
      "alerts.updateSettings",
      {
        organizationId: w.organizationId,
        budgetThresholds: [90, 50, 90],
        expiryWarningDays: [3],
        emailRecipients: { "team.blocked": ["org_admins"] },
      },
      w.orgAdmin.creds,
    );
    expect(saved.budgetThresholds).toEqual([50, 90]);
    expect(saved.emailRecipients["team.blocked"]).toEqual(["org_admins"]);
    expect(saved.emailRecipients["budget.threshold"]).toEqual(["team_admins", "org_admins"]);
    expect(
      await h.queryOk("alerts.getSettings", { organizationId: w.organizationId }, w.orgAdmin.creds),
    ).toEqual(saved);
  });
});
