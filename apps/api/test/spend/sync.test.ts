/**
 * Spend end to end: the LiteLLM contract servers (two regions, real HTTP) are told what
 * each team and key spent, the worker's spend sync reads them, and the API shows it:
 * teams.get (summed over regions, per region, asOf), teams.list (spendUsd, sortBy spend with
 * the cursor), keys.list, orgs.get, teams.spendHistory and the CSV of teams.spendReport.
 */
import { litellmTeamId } from "@gatehouse/core";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegionBusyError } from "@gatehouse/db";
import { syncRegionSpend } from "../../src/spend/sync.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { clientFor, setSpend } from "../support/contract-spend.ts";

interface RegionSpend {
  regionId: string;
  regionName: string;
  spendUsd: number | null;
  budgetUsd: number | null;
  budgetResetAt: string | null;
  asOf: string | null;
  stale: boolean;
  error: string | null;
}
interface TeamDetail {
  spendUsd: number | null;
  spend: {
    totalUsd: number | null;
    budgetUsd: number | null;
    budgetResetAt: string | null;
    byRegion: RegionSpend[];
    asOf: string | null;
  };
}
interface TeamPage {
  items: Array<{ id: string; spendUsd: number | null }>;
  nextCursor: string | null;
}

let h: SyncHarness;
let us: ContractServer;
let usRegion: { id: string; name: string };
let admin: { id: string; creds: Credentials };
let orgAdmin: { id: string; creds: Credentials };
let plain: { id: string; creds: Credentials };
let orgA: string;
let orgB: string;
const team: Record<"a" | "b" | "c", string> = { a: "", b: "", c: "" };

async function syncBoth(): Promise<void> {
  await syncRegionSpend({
    db: h.db,
    client: clientFor(h.litellm),
    region: h.region,
    holder: "test",
  });
  await syncRegionSpend({ db: h.db, client: clientFor(us), region: usRegion, holder: "test" });
}

const getTeam = (id: string) => h.queryOk<TeamDetail>("teams.get", { teamId: id }, admin.creds);

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  ({ litellm: us, region: usRegion } = await h.addRegion("us east"));
  admin = await fx.insertUserWithSession(h, { email: "admin@spend.test", isSystemAdmin: true });
  orgAdmin = await fx.insertUserWithSession(h, { email: "orgadmin@spend.test" });
  plain = await fx.insertUserWithSession(h, { email: "plain@spend.test" });
  orgA = await fx.insertOrganization(h.db, "Spend Org A");
  orgB = await fx.insertOrganization(h.db, "Spend Org B");
  await fx.addOrgMember(h.db, orgA, orgAdmin.id, "ORG_ADMIN");
  for (const [name, org] of [
    ["a", orgA],
    ["b", orgA],
    ["c", orgB],
  ] as const) {
    team[name] = (
      await h.mutationOk<{ id: string }>(
        "teams.create",
        { name: `Spend ${name}`, organizationId: org },
        admin.creds,
      )
    ).id;
    // The teams as they exist on each proxy (Gatehouse's identity for them there).
    await clientFor(h.litellm).ensureTeam({
      teamId: litellmTeamId(h.region.name, team[name]),
      teamAlias: name,
    });
    await clientFor(us).ensureTeam({
      teamId: litellmTeamId(usRegion.name, team[name]),
      teamAlias: name,
    });
  }
  // A team on the proxy that Gatehouse does not know: ignored, not an error.
  await clientFor(h.litellm).ensureTeam({ teamId: "made-by-hand", teamAlias: "x" });
}, 60_000);

afterAll(() => h?.close());

describe("spend sync", () => {
  it("before any sync, spend is unknown (null), never 0", async () => {
    const detail = await getTeam(team.a);
    expect(detail.spendUsd).toBeNull();
    expect(detail.spend.totalUsd).toBeNull();
    expect(detail.spend.asOf).toBeNull();
    expect(detail.spend.byRegion.map((r) => [r.regionName, r.spendUsd, r.stale])).toEqual([
      ["eu west", null, true],
      ["us east", null, true],
    ]);
  });

  it("spend set on the proxies appears in teams.get and teams.list after one sync, summed over regions", async () => {
    await setSpend(h.litellm, {
      teams: [
        {
          teamId: litellmTeamId(h.region.name, team.a),
          spend: 12.5,
          maxBudget: 50,
          budgetResetAt: "2030-01-01T00:00:00.000Z",
        },
        { teamId: litellmTeamId(h.region.name, team.b), spend: 1 },
        { teamId: litellmTeamId(h.region.name, team.c), spend: 30 },
        { teamId: "made-by-hand", spend: 999 },
      ],
    });
    await setSpend(us, {
      teams: [
        {
          teamId: litellmTeamId(usRegion.name, team.a),
          spend: 7.25,
          maxBudget: 50,
          budgetResetAt: "2029-12-15T00:00:00.000Z",
        },
        { teamId: litellmTeamId(usRegion.name, team.b), spend: 0 },
        { teamId: litellmTeamId(usRegion.name, team.c), spend: 0.5 },
      ],
    });
    await syncBoth();

    const detail = await getTeam(team.a);
    expect(detail.spendUsd).toBe(19.75);
    expect(detail.spend).toMatchObject({
      totalUsd: 19.75,
      budgetUsd: 100,
      budgetResetAt: "2029-12-15T00:00:00.000Z",
    });
    expect(detail.spend.asOf).not.toBeNull();
    expect(
      detail.spend.byRegion.map((r) => [r.regionName, r.spendUsd, r.budgetUsd, r.stale, r.error]),
    ).toEqual([
      ["eu west", 12.5, 50, false, null],
      ["us east", 7.25, 50, false, null],
    ]);
    // Zero read is a real zero.
    expect((await getTeam(team.b)).spend.byRegion.map((r) => r.spendUsd)).toEqual([1, 0]);

    const page = await h.queryOk<TeamPage>("teams.list", { organizationId: orgA }, admin.creds);
    expect(Object.fromEntries(page.items.map((i) => [i.id, i.spendUsd]))).toEqual({
      [team.a]: 19.75,
      [team.b]: 1,
    });

    const org = await h.queryOk<{ spend: { totalUsd: number | null; asOf: string | null } }>(
      "orgs.get",
      { organizationId: orgA },
      admin.creds,
    );
    expect(org.spend.totalUsd).toBe(20.75);
    expect(org.spend.asOf).not.toBeNull();
  });

  it("a region that fails to answer keeps its last values with their asOf; the other region moves on", async () => {
    const before = await getTeam(team.a);
    const usBefore = before.spend.byRegion.find((r) => r.regionName === "us east")!;
    await setSpend(h.litellm, {
      teams: [{ teamId: litellmTeamId(h.region.name, team.a), spend: 20 }],
    });
    await setSpend(us, { teams: [{ teamId: litellmTeamId(usRegion.name, team.a), spend: 99 }] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await fetch(`${us.url}/__control/fail-next`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ count: 1, status: 500 }),
    });
    await expect(syncBoth()).rejects.toThrow();

    const after = await getTeam(team.a);
    const eu = after.spend.byRegion.find((r) => r.regionName === "eu west")!;
    const usAfter = after.spend.byRegion.find((r) => r.regionName === "us east")!;
    expect(eu).toMatchObject({ spendUsd: 20, stale: false });
    expect(usAfter).toMatchObject({ spendUsd: 7.25, asOf: usBefore.asOf, stale: true });
    expect(usAfter.error).toBeTruthy();
    expect(after.spend.totalUsd).toBe(27.25);
    // The total is as old as its oldest reading.
    expect(after.spend.asOf).toBe(usBefore.asOf);
    expect(Date.parse(eu.asOf!)).toBeGreaterThan(Date.parse(usBefore.asOf!));

    // The next good read clears the flag.
    await syncBoth();
    const healed = (await getTeam(team.a)).spend.byRegion.find((r) => r.regionName === "us east")!;
    expect(healed).toMatchObject({ spendUsd: 99, stale: false, error: null });
  });

  it("one reader per region: a second sync while the lease is held is refused", async () => {
    await h.db.pool.query(
      `UPDATE region_spend_syncs SET running_by = 'other', running_until = now() + interval '1 minute' WHERE region_id = $1::uuid`,
      [h.region.id],
    );
    await expect(
      syncRegionSpend({ db: h.db, client: clientFor(h.litellm), region: h.region, holder: "test" }),
    ).rejects.toBeInstanceOf(RegionBusyError);
    await h.db.pool.query(
      `UPDATE region_spend_syncs SET running_by = NULL, running_until = NULL WHERE region_id = $1::uuid`,
      [h.region.id],
    );
  });

  it("the worker's schedule syncs every active region (GATEHOUSE_SPEND_SYNC_INTERVAL_MS)", async () => {
    await setSpend(us, { teams: [{ teamId: litellmTeamId(usRegion.name, team.c), spend: 2 }] });
    await h.db.pool.query(`UPDATE region_spend_syncs SET finished_at = now() - interval '1 hour'`);
    await h.stopWorker();
    const worker = h.startWorker({ spendSyncIntervalMs: 60_000 });
    await worker.spendSyncDue();
    expect((await getTeam(team.c)).spendUsd).toBe(32);
  });

  it("keys.list carries each key's spend (null until read)", async () => {
    const created = await h.mutationOk<{ key: { id: string }; secret: string }>(
      "keys.create",
      { teamId: team.a, name: "spender", regionId: h.region.id },
      admin.creds,
    );
    await h.drain();
    const listed = () =>
      h.queryOk<{ items: Array<{ id: string; spendUsd: number | null }> }>(
        "keys.list",
        { teamId: team.a },
        admin.creds,
      );
    expect((await listed()).items.find((k) => k.id === created.key.id)?.spendUsd).toBeNull();
    await setSpend(h.litellm, { keys: [{ key: created.secret, spend: 3.5 }] });
    await syncRegionSpend({
      db: h.db,
      client: clientFor(h.litellm),
      region: h.region,
      holder: "test",
    });
    expect((await listed()).items.find((k) => k.id === created.key.id)?.spendUsd).toBe(3.5);
  });
});

describe("teams.list sortBy spend", () => {
  it("pages by cursor in spend order, both directions, with no repeats", async () => {
    // a = 20 + 99, b = 1 + 0, c = 30 + 2: plus every other team (never read, sorted as 0).
    const walk = async (sortOrder: "asc" | "desc"): Promise<string[]> => {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (;;) {
        const input: Record<string, unknown> = {
          sortBy: "spend",
          sortOrder,
          pageSize: 1,
          organizationId: orgA,
          ...(cursor ? { cursor } : {}),
        };
        const page: TeamPage = await h.queryOk<TeamPage>("teams.list", input, admin.creds);
        ids.push(...page.items.map((i) => i.id));
        if (!page.nextCursor) return ids;
        cursor = page.nextCursor;
      }
    };
    expect(await walk("desc")).toEqual([team.a, team.b]);
    expect(await walk("asc")).toEqual([team.b, team.a]);
    const all = await h.queryOk<TeamPage>(
      "teams.list",
      { sortBy: "spend", sortOrder: "desc", pageSize: 3 },
      admin.creds,
    );
    expect(all.items.map((i) => [i.id, i.spendUsd])).toEqual([
      [team.a, 119],
      [team.c, 32],
      [team.b, 1],
    ]);
    // A cursor made for another sort is refused.
    const byName = await h.queryOk<TeamPage>(
      "teams.list",
      { sortBy: "name", pageSize: 1 },
      admin.creds,
    );
    const wrong = await h.query(
      "teams.list",
      { sortBy: "spend", cursor: byName.nextCursor },
      { credentials: admin.creds },
    );
    expect(wrong.status).toBe(400);
  });
});

describe("teams.spendHistory and teams.spendReport", () => {
  const day = (offset: number): string =>
    new Date(Date.UTC(2026, 9, 1) + offset * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    // Daily points as the sync files them (cumulative per region), in October 2026.
    const points: Array<[string, string, string, number]> = [
      [team.a, h.region.id, day(0), 10],
      [team.a, h.region.id, day(4), 14],
      [team.a, h.region.id, day(9), 2], // a budget reset: 2 spent since
      [team.a, usRegion.id, day(4), 5],
      [team.a, usRegion.id, day(6), 8],
      [team.b, h.region.id, day(5), 1],
      [team.c, h.region.id, day(4), 40],
    ];
    for (const [teamId, regionId, d, usd] of points) {
      await h.db.pool.query(
        `INSERT INTO team_spend_daily (team_id, region_id, day, spend_usd, as_of) VALUES ($1::uuid, $2::uuid, $3::date, $4, $3::date + interval '23 hours')`,
        [teamId, regionId, d, usd],
      );
    }
  });

  it("the CSV gives each team's spend in the period from its daily points, per region and in total", async () => {
    const report = await h.queryOk<{ csv: string; teams: number; currency: string }>(
      "teams.spendReport",
      { from: day(2), to: day(9), organizationId: orgA },
      admin.creds,
    );
    const lines = report.csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "team_id,team_name,organization_id,organization_name,period_from,period_to,spend_usd,currency,by_region,fate",
    );
    const rows = Object.fromEntries(lines.slice(1).map((l) => [l.split(",")[0], l.split(",")]));
    // a: eu 10 -> 14 (+4) -> reset 2 (+2) = 6; us 0 -> 5 -> 8 = 8 (first reading counted whole).
    expect(rows[team.a]).toEqual([
      team.a,
      "Spend a",
      orgA,
      "Spend Org A",
      day(2),
      day(9),
      "14.000000",
      "USD",
      "eu west=6.000000;us east=8.000000",
      "active",
    ]);
    expect(rows[team.b]?.[6]).toBe("1.000000");
    expect(report.teams).toBe(2);
    expect(rows[team.c]).toBeUndefined();

    // A period before any point in it: baseline only, nothing spent.
    const quiet = await h.queryOk<{ csv: string }>(
      "teams.spendReport",
      { from: day(1), to: day(3), organizationId: orgA },
      admin.creds,
    );
    const quietA = quiet.csv.split("\r\n").find((l) => l.startsWith(team.a))!;
    expect(quietA.split(",")[6]).toBe("0.000000");
  });

  it("is for admins, and org admins for their organizations only", async () => {
    const input = { from: day(0), to: day(9) };
    expect((await h.query("teams.spendReport", input, { credentials: null })).status).toBe(401);
    expect((await h.query("teams.spendReport", input, { credentials: plain.creds })).status).toBe(
      403,
    );
    expect(
      (
        await h.query(
          "teams.spendReport",
          { ...input, organizationId: orgB },
          { credentials: orgAdmin.creds },
        )
      ).status,
    ).toBe(403);
    const own = await h.queryOk<{ csv: string }>(
      "teams.spendReport",
      { ...input, organizationId: orgA },
      orgAdmin.creds,
    );
    expect(own.csv).toContain(team.a);
    // Without an organization, an org admin gets their organizations only.
    const scoped = await h.queryOk<{ csv: string }>("teams.spendReport", input, orgAdmin.creds);
    expect(scoped.csv).toContain(team.a);
    expect(scoped.csv).not.toContain(team.c);
    const everything = await h.queryOk<{ csv: string }>("teams.spendReport", input, admin.creds);
    expect(everything.csv).toContain(team.c);
    const bad = await h.query(
      "teams.spendReport",
      { from: day(9), to: day(0) },
      { credentials: admin.creds },
    );
    expect(bad.status).toBe(400);
  });

  it("teams.spendHistory gives the last N days' spend per day (null on days with no reading)", async () => {
    const history = await h.queryOk<{ days: Array<{ day: string; spendUsd: number | null }> }>(
      "teams.spendHistory",
      { teamId: team.a, days: 30 },
      admin.creds,
    );
    expect(history.days).toHaveLength(30);
    expect(history.days.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10));
    // Today's point from the syncs above: eu 20 and us 99 read today, counted against October's last points.
    expect(history.days.at(-1)!.spendUsd).not.toBeNull();
    expect(
      (await h.query("teams.spendHistory", { teamId: team.a }, { credentials: plain.creds }))
        .status,
    ).toBe(404);
  });
});
