import { describe, expect, it } from "vitest";
import {
  DEFAULT_ALERT_SETTINGS,
  EVENT_TYPES,
  type AlertSettings,
  type EventType,
} from "./events.ts";
import { mailLayout } from "./mail.ts";
import {
  inAppAudience,
  mailAudience,
  notificationMail,
  notificationText,
  ZNotificationPreferences,
  type EventRouting,
} from "./notifications.ts";

const ORG = "11111111-1111-4111-8111-111111111111";
const TEAM = "22222222-2222-4222-8222-222222222222";
const REGION = "33333333-3333-4333-8333-333333333333";

describe("inAppAudience", () => {
  const cases: Array<[string, EventRouting, string[]]> = [
    [
      "a team event of an organization",
      { type: "budget.threshold", organizationId: ORG, teamId: TEAM },
      ["team_admins", "org_admins"],
    ],
    [
      "a team event of a team without organization",
      { type: "team.blocked", organizationId: null, teamId: TEAM },
      ["team_admins", "system_admins"],
    ],
    [
      "an operations event",
      { type: "region.drift", organizationId: null, teamId: null },
      ["system_admins"],
    ],
    [
      "an operations event wrongly tagged with an organization",
      { type: "jobs.failing", organizationId: ORG, teamId: null },
      ["system_admins"],
    ],
    ["a webhook test event", { type: "test", organizationId: ORG, teamId: null }, []],
  ];
  it.each(cases)("%s", (_name, event, expected) => {
    expect(inAppAudience(event)).toEqual(expected);
  });
});

describe("mailAudience", () => {
  const chosen: AlertSettings = {
    ...DEFAULT_ALERT_SETTINGS,
    emailRecipients: { "budget.threshold": ["org_admins"], "key.blocked": [] },
  };
  const cases: Array<[string, EventRouting, AlertSettings | null, string[]]> = [
    [
      "defaults without settings",
      { type: "budget.threshold", organizationId: ORG, teamId: TEAM },
      null,
      ["team_admins", "org_admins"],
    ],
    [
      "the organization's choice",
      { type: "budget.threshold", organizationId: ORG, teamId: TEAM },
      chosen,
      ["org_admins"],
    ],
    [
      "an organization that chose no one",
      { type: "key.blocked", organizationId: ORG, teamId: TEAM },
      chosen,
      [],
    ],
    [
      "types the organization left unset keep their defaults",
      { type: "team.expiry_warning", organizationId: ORG, teamId: TEAM },
      chosen,
      ["team_admins", "org_admins"],
    ],
    [
      "no organization: defaults, without org admins",
      { type: "team.blocked", organizationId: null, teamId: TEAM },
      chosen,
      ["team_admins"],
    ],
    [
      "operations events go to system admins",
      { type: "region.sync_failing", organizationId: null, teamId: null },
      null,
      ["system_admins"],
    ],
    [
      "team admins dropped when no team",
      { type: "budget.threshold", organizationId: ORG, teamId: null },
      null,
      ["org_admins"],
    ],
    ["never for test events", { type: "test", organizationId: ORG, teamId: null }, null, []],
  ];
  it.each(cases)("%s", (_name, event, settings, expected) => {
    expect(mailAudience(event, settings)).toEqual(expected);
  });
});

describe("ZNotificationPreferences", () => {
  it.each([
    [{ emailOptOuts: [] }, { emailOptOuts: [] }],
    [
      { emailOptOuts: ["team.blocked", "budget.threshold", "team.blocked"] },
      { emailOptOuts: ["budget.threshold", "team.blocked"] },
    ],
  ])("%j -> %j", (input, expected) => {
    expect(ZNotificationPreferences.parse(input)).toEqual(expected);
  });
  it("refuses unknown types", () => {
    expect(ZNotificationPreferences.safeParse({ emailOptOuts: ["nope"] }).success).toBe(false);
  });
});

const bodies: Record<EventType, unknown> = {
  "budget.threshold": {
    teamId: TEAM,
    regionId: null,
    thresholdPercent: 90,
    spendUsd: 90.5,
    budgetUsd: 100,
    periodResetAt: "2027-01-01T00:00:00.000Z",
  },
  "budget.forecast": {
    teamId: TEAM,
    regionId: REGION,
    spendUsd: 40,
    budgetUsd: 100,
    dailyRateUsd: 10,
    exhaustedOn: "2026-12-12",
    periodResetAt: null,
  },
  "team.expiry_warning": { teamId: TEAM, daysLeft: 7, expiresAt: "2026-12-13T00:00:00.000Z" },
  "team.blocked": { teamId: TEAM, reason: "expired", note: null },
  "team.unblocked": { teamId: TEAM, reason: "payment" },
  "key.blocked": { teamId: TEAM, keyId: REGION, keyName: "ci", reason: "manual", note: "leak" },
  "key.unblocked": { teamId: TEAM, keyId: REGION, keyName: "ci", reason: "manual" },
  "product.lapsed": {
    teamId: TEAM,
    productId: REGION,
    productName: "Pro",
    lapsedAt: "2026-12-01T00:00:00.000Z",
  },
  "region.sync_failing": {
    regionId: REGION,
    regionName: "eu",
    operation: "spend_sync",
    failingSince: "2026-12-06T01:00:00.000Z",
    error: "ECONNREFUSED",
  },
  "region.drift": { regionId: REGION, regionName: "eu", reconciliationId: "r1", differences: 3 },
  "jobs.failing": { failedJobs: 1, oldestPendingSeconds: 700, regionId: null },
  test: { message: "hello", webhookId: null },
};

describe("notificationText", () => {
  const expected: Record<EventType, string> = {
    "budget.threshold": "Team Core reached 90% of its budget",
    "budget.forecast": "Team Core will run out of budget on 2026-12-12",
    "team.expiry_warning": "Team Core will be blocked for expiry in 7 days",
    "team.blocked": "Team Core was blocked",
    "team.unblocked": "Team Core was unblocked",
    "key.blocked": "Key ci was blocked",
    "key.unblocked": "Key ci was unblocked",
    "product.lapsed": "Product Pro lapsed",
    "region.sync_failing": "Region eu: spend sync failing",
    "region.drift": "Region eu drifted",
    "jobs.failing": "Jobs are failing",
    test: "Test event",
  };
  it.each(EVENT_TYPES)("%s", (type) => {
    const text = notificationText(type, bodies[type], { teamName: "Core" });
    expect(text.title).toBe(expected[type]);
    expect(text.summary.length).toBeGreaterThan(0);
  });
  it("states the numbers of a budget threshold", () => {
    expect(notificationText("budget.threshold", bodies["budget.threshold"]).summary).toBe(
      "A team has spent $90.50 of its $100.00 budget in total; the budget resets on 2027-01-01.",
    );
  });
  it("reads a body of another shape as its type's label", () => {
    expect(notificationText("team.blocked", { nope: 1 })).toEqual({
      title: "Team blocked",
      summary: "Team blocked.",
    });
  });
});

describe("notificationMail", () => {
  it("links a team event to the team page, with the numbers", () => {
    const mail = mailLayout(
      notificationMail(
        {
          type: "budget.threshold",
          organizationId: ORG,
          teamId: TEAM,
          data: bodies["budget.threshold"],
        },
        { teamName: "Core", organizationName: "Acme" },
        "https://gatehouse.example/",
      ),
    );
    expect(mail.subject).toBe("Team Core reached 90% of its budget");
    expect(mail.text).toContain("$90.50 of its $100.00");
    expect(mail.text).toContain(`https://gatehouse.example/teams/${TEAM}`);
    expect(mail.text).toContain("Organization: Acme.");
  });
  it("links an operations event to the notifications page", () => {
    const mail = mailLayout(
      notificationMail(
        { type: "region.drift", organizationId: null, teamId: null, data: bodies["region.drift"] },
        {},
        "http://localhost:3000",
      ),
    );
    expect(mail.text).toContain("http://localhost:3000/notifications");
  });
});
