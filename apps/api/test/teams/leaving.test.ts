/**
 * People leaving teams and organizations, over real HTTP against two LiteLLM contract
 * servers (two regions): one answering as current open-source LiteLLM, whose
 * `/team/member_delete` also deletes the member's keys in the team (pull request 17057), and
 * one as an older release, which keeps them. Both must end in the same state, with no
 * working key of someone who left, and re-adding or a transfer must give back the same key,
 * working (restored from its sealed secret when a proxy lost it).
 */
import { describe, expect, it } from "vitest";
import { LITELLM_LEFT_OWNER, litellmTeamId } from "@gatehouse/core";
import { litellmKeyToken } from "@gatehouse/litellm";
import type { call } from "../support/http.ts";
import { type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { waitForLockWaiters } from "../support/database.ts";
import { h, older, olderRegion, org, orgAdmin, person, teamWithLeaver } from "./leaving-suite.ts";
import { createKey, keysOnBothProxies, works, onProxyTeam, reasons } from "./leaving-suite.ts";
import { auditDetails, removeFromTeam, addBack, systemAdmin } from "./leaving-suite.ts";
describe("teams.removeMember", () => {
  it("blocks the person's keys on both proxies and takes them off both LiteLLM teams; re-adding gives the same keys back, working", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const keys = await keysOnBothProxies(team, leaver, "k");
    const bystander = await createKey(team, admin, "admin-key", "current");
    await h.drain();
    for (const key of keys) {
      expect(works(key)).toBe(true);
      expect(onProxyTeam(key, team, leaver.id)).toBe(true);
    }

    expect((await removeFromTeam(team, leaver.id, admin.creds)).status).toBe(200);
    for (const key of keys) expect(await reasons(key.id)).toEqual(["owner_left"]);
    await h.drain();
    // Both kinds of proxy in the same state: the key kept (detached from the member before
    // member_delete, which current LiteLLM would otherwise delete it with), blocked.
    for (const key of keys) {
      expect(key.proxy.state.getKey(key.secret)).toMatchObject({
        blocked: true,
        userId: LITELLM_LEFT_OWNER,
      });
      expect(works(key)).toBe(false);
      expect(onProxyTeam(key, team, leaver.id)).toBe(false);
    }
    expect(works(bystander)).toBe(true);
    expect(await auditDetails("team.member.remove", team)).toEqual({
      userId: leaver.id,
      role: "KEY_CREATOR",
      blockedKeys: 2,
    });
    // keys.list says why.
    const listed = await h.queryOk<Out<"keys.list">>("keys.list", { teamId: team }, admin.creds);
    const byId = new Map(listed.items.map((k) => [k.id, k]));
    for (const key of keys)
      expect(byId.get(key.id)).toMatchObject({ blocked: true, blockReasons: ["owner_left"] });

    await addBack(team, leaver.id, "KEY_CREATOR", admin.creds);
    for (const key of keys) expect(await reasons(key.id)).toEqual([]);
    await h.drain();
    for (const key of keys) {
      expect(works(key)).toBe(true);
      const stored = key.proxy.state.getKey(key.secret);
      // The same secret (its hash is the proxy's id), owned by the person, in the team.
      expect(stored?.token).toBe(litellmKeyToken(key.secret));
      expect(stored?.userId).toBe(leaver.id);
      expect(stored?.teamId).toBe(litellmTeamId(key.region.name, team));
      expect(onProxyTeam(key, team, leaver.id)).toBe(true);
    }
  });

  it("a key a proxy lost meanwhile comes back from its sealed secret, the same secret, verified on the proxy", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const keys = await keysOnBothProxies(team, leaver, "lost");
    expect((await removeFromTeam(team, leaver.id, admin.creds)).status).toBe(200);
    await h.drain();
    // Someone deletes them on the proxies (LiteLLM's UI, or a member_delete of a proxy
    // that ran before Gatehouse detached them).
    for (const key of keys) key.proxy.state.deleteKey(litellmKeyToken(key.secret));
    await addBack(team, leaver.id, "KEY_CREATOR", admin.creds);
    await h.drain();
    for (const key of keys) {
      expect(works(key)).toBe(true);
      expect(key.proxy.state.getKey(key.secret)).toMatchObject({
        userId: leaver.id,
        teamId: litellmTeamId(key.region.name, team),
      });
      // Created once by keys.create, once more by the restore, with the same secret.
      const generated = key.proxy.state.requests.filter(
        (r) =>
          r.path === "/key/generate" &&
          r.status === 200 &&
          (r.body as { key?: string } | undefined)?.key === key.secret,
      );
      expect(generated).toHaveLength(2);
    }
  });

  it("a key lost with its team comes back in a team with its limits, with Gatehouse's routes; a key deleted meanwhile stays gone", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const sysadmin = await systemAdmin("sysadmin");
    const product = await h.mutationOk<Out<"products.create">>(
      "products.create",
      {
        name: `Leaving product ${fx.uniqueName("p")}`,
        limits: {
          maxBudgetUsd: 250,
          budgetDuration: "7d",
          rpmLimit: 30,
          tpmLimit: 5000,
          models: ["gpt-4o"],
        },
      },
      sysadmin.creds,
    );
    await h.mutationOk("products.attach", { teamId: team, productId: product.id }, sysadmin.creds);
    const keys = await keysOnBothProxies(team, leaver, "lost-team");
    const doomed = await createKey(team, leaver, "lost-then-deleted", "current");
    expect((await removeFromTeam(team, leaver.id, admin.creds)).status).toBe(200);
    await h.drain();
    // The proxies lose the keys and the teams (someone cleaned up in LiteLLM's UI).
    for (const key of [...keys, doomed]) {
      key.proxy.state.deleteKey(litellmKeyToken(key.secret));
      key.proxy.state.deleteTeam(litellmTeamId(key.region.name, team));
    }
    await addBack(team, leaver.id, "KEY_CREATOR", admin.creds);
    // Deleted before its reinstate ran: the reinstate is cancelled, nothing comes back.
    await h.mutationOk("keys.delete", { keyId: doomed.id }, admin.creds);
    await h.drain();
    expect(doomed.proxy.state.getKey(doomed.secret)).toBeUndefined();
    for (const key of keys) {
      expect(works(key)).toBe(true);
      expect(key.proxy.state.getKey(key.secret)?.allowedRoutes).toEqual(["llm_api_routes"]);
      expect(key.proxy.state.getTeam(litellmTeamId(key.region.name, team))).toMatchObject({
        maxBudget: 250,
        budgetDuration: "7d",
        rpmLimit: 30,
        tpmLimit: 5000,
        models: ["gpt-4o"],
      });
    }
  });

  it("reconciliation: a left owner's key a proxy deleted is no difference; one unblocked by hand is block_drift, repaired", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const [current, kept] = await keysOnBothProxies(team, leaver, "reconciled");
    expect((await removeFromTeam(team, leaver.id, admin.creds)).status).toBe(200);
    await h.drain();
    // Current LiteLLM deleting it with the member; someone unblocking it in the older one.
    current!.proxy.state.deleteKey(litellmKeyToken(current!.secret));
    kept!.proxy.state.getKey(kept!.secret)!.blocked = false;
    const sysadmin = await systemAdmin("reconciler");
    const reconcile = (regionId: string, repair: boolean) =>
      h.mutationOk<Out<"regions.reconcile">>(
        "regions.reconcile",
        { regionId, repair },
        sysadmin.creds,
      );
    const about = (report: Out<"regions.reconcile">["report"], keyId: string) =>
      Object.values(report.examples)
        .flat()
        .filter((e) => e.keyId === keyId)
        .map((e) => [e.kind, e.expected, e.actual]);
    expect(about((await reconcile(h.region.id, false)).report, current!.id)).toEqual([]);
    expect(about((await reconcile(olderRegion.id, true)).report, kept!.id)).toEqual([
      ["block_drift", "blocked", "unblocked"],
    ]);
    await h.drain();
    expect(works(kept!)).toBe(false);
    expect(about((await reconcile(olderRegion.id, false)).report, kept!.id)).toEqual([]);
    expect(current!.proxy.state.getKey(current!.secret)).toBeUndefined();
  });

  it("a key also blocked by hand stays blocked when the owner comes back", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const key = await createKey(team, leaver, "manual-too", "older");
    await h.mutationOk("keys.block", { keyId: key.id }, admin.creds);
    expect((await removeFromTeam(team, leaver.id, admin.creds)).status).toBe(200);
    await addBack(team, leaver.id, "MEMBER", admin.creds);
    await h.drain();
    expect(await reasons(key.id)).toEqual(["manual"]);
    expect(key.proxy.state.getKey(key.secret)?.blocked).toBe(true);
  });
});

describe("teams.setMemberRole", () => {
  it("a demotion to a role that cannot create keys leaves the person's keys working (a role is not a removal)", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const key = await createKey(team, leaver, "demoted", "older");
    await h.mutationOk(
      "teams.setMemberRole",
      { teamId: team, userId: leaver.id, role: "READ_ONLY" },
      admin.creds,
    );
    await h.drain();
    expect(await reasons(key.id)).toEqual([]);
    expect(works(key)).toBe(true);
    expect(onProxyTeam(key, team, leaver.id)).toBe(true);
  });
});

describe("orgs.removeMember", () => {
  it("removes the person from every team of the organization, with the same consequences, and lists the teams", async () => {
    const first = await teamWithLeaver();
    const second = await fx.insertTeam(h.db, {
      name: `Second team ${fx.uniqueName("t")}`,
      organizationId: org,
    });
    await fx.addTeamMember(h.db, second, first.leaver.id, "ADMIN");
    const keys = [
      ...(await keysOnBothProxies(first.team, first.leaver, "o1")),
      ...(await keysOnBothProxies(second, first.leaver, "o2")),
    ];
    await h.drain();

    await h.mutationOk(
      "orgs.removeMember",
      { organizationId: org, userId: first.leaver.id },
      orgAdmin.creds,
    );
    expect(await h.db.prisma.teamMember.count({ where: { userId: first.leaver.id } })).toBe(0);
    for (const key of keys) expect(await reasons(key.id)).toEqual(["owner_left"]);
    await h.drain();
    for (const key of keys) expect(works(key)).toBe(false);
    for (const team of [first.team, second]) {
      expect(onProxyTeam(keys[0]!, team, first.leaver.id)).toBe(false);
      expect(onProxyTeam(keys[1]!, team, first.leaver.id)).toBe(false);
    }
    const details = (await auditDetails("org.member.remove", org)) as {
      teams: Array<{ teamId: string; role: string }>;
      blockedKeys: number;
    };
    expect(details.blockedKeys).toBe(4);
    expect(details.teams.map((t) => [t.teamId, t.role]).sort()).toEqual(
      [
        [first.team, "KEY_CREATOR"],
        [second, "ADMIN"],
      ].sort(),
    );
  });
});

describe("the last team admin", () => {
  it("a team admin cannot remove or demote themselves as the last ADMIN of a team with members (412); an org admin can", async () => {
    const { team, admin } = await teamWithLeaver();
    const leave = await removeFromTeam(team, admin.id, admin.creds);
    expect(leave.status).toBe(412);
    expect(leave.error?.message).toMatch(/make another member ADMIN first/);
    const demote = await h.mutation(
      "teams.setMemberRole",
      { teamId: team, userId: admin.id, role: "MEMBER" },
      { credentials: admin.creds },
    );
    expect(demote.status).toBe(412);
    expect(await fx.teamRoleOf(h.db, team, admin.id)).toBe("ADMIN");

    const byOrgAdmin = await h.mutation(
      "teams.setMemberRole",
      { teamId: team, userId: admin.id, role: "MEMBER" },
      { credentials: orgAdmin.creds },
    );
    expect(byOrgAdmin.status).toBe(200);
    expect((await removeFromTeam(team, admin.id, orgAdmin.creds)).status).toBe(200);
  });

  it("the last admin may leave a team they are alone in, and one of two admins may step down", async () => {
    const alone = await fx.insertTeam(h.db, {
      name: `Alone ${fx.uniqueName("t")}`,
      organizationId: org,
    });
    const solo = await person("solo");
    await fx.addTeamMember(h.db, alone, solo.id, "ADMIN");
    expect((await removeFromTeam(alone, solo.id, solo.creds)).status).toBe(200);

    const { team, admin } = await teamWithLeaver();
    const second = await person("second-admin");
    await fx.addTeamMember(h.db, team, second.id, "ADMIN");
    expect((await removeFromTeam(team, admin.id, admin.creds)).status).toBe(200);
    // Now `second` is the last one.
    expect((await removeFromTeam(team, second.id, second.creds)).status).toBe(412);
  });

  it("two admins stepping down at once: one of them stays", async () => {
    const { team, admin } = await teamWithLeaver();
    const second = await person("twin-admin");
    await fx.addTeamMember(h.db, team, second.id, "ADMIN");
    const answers = await Promise.all([
      removeFromTeam(team, admin.id, admin.creds),
      h.mutation(
        "teams.setMemberRole",
        { teamId: team, userId: second.id, role: "MEMBER" },
        { credentials: second.creds },
      ),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    expect(await h.db.prisma.teamMember.count({ where: { teamId: team, role: "ADMIN" } })).toBe(1);
  });
});

describe("concurrency: no working key of a non-member", () => {
  async function noWorkingKeyOf(team: string, userId: string): Promise<void> {
    await h.drain();
    expect(await h.db.prisma.teamMember.count({ where: { teamId: team, userId } })).toBe(0);
    const rows = await h.db.prisma.apiKey.findMany({
      where: { teamId: team, creatorId: userId },
      select: { litellmKeyId: true, regionId: true },
    });
    for (const row of rows) {
      const proxy = row.regionId === h.region.id ? h.litellm : older;
      const stored = proxy.state.getKey(row.litellmKeyId!);
      expect(stored === undefined || stored.blocked === true).toBe(true);
    }
    for (const [proxy, region] of [
      [h.litellm, h.region],
      [older, olderRegion],
    ] as const) {
      expect(proxy.state.isMember(litellmTeamId(region.name, team), userId)).toBe(false);
    }
  }

  it("two removals of the same person at once: one removes, the other finds no member", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    await keysOnBothProxies(team, leaver, "twice");
    await h.drain();
    const answers = await Promise.all([
      removeFromTeam(team, leaver.id, admin.creds),
      removeFromTeam(team, leaver.id, orgAdmin.creds),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
    await noWorkingKeyOf(team, leaver.id);
  });

  it("a removal and an organization removal at once", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    await keysOnBothProxies(team, leaver, "both-ways");
    await h.drain();
    const answers = await Promise.all([
      removeFromTeam(team, leaver.id, admin.creds),
      h.mutation(
        "orgs.removeMember",
        { organizationId: org, userId: leaver.id },
        { credentials: orgAdmin.creds },
      ),
    ]);
    expect(answers.find((a) => a.status !== 200 && a.status !== 404)).toBeUndefined();
    await noWorkingKeyOf(team, leaver.id);
  });

  it("a removal racing the person's key creation, both waiting on the team's row: either order ends with no working key", async () => {
    for (const where of ["current", "older"] as const) {
      const { team, admin, leaver } = await teamWithLeaver();
      const client = await h.db.pool.connect();
      let created: Promise<Awaited<ReturnType<typeof call>>>;
      let removed: Promise<Awaited<ReturnType<typeof call>>>;
      try {
        await client.query("BEGIN");
        await client.query("SELECT 1 FROM teams WHERE id = $1::uuid FOR UPDATE", [team]);
        const region = where === "current" ? h.region : olderRegion;
        created = h.mutation(
          "keys.create",
          { teamId: team, name: `race-${where}`, regionId: region.id },
          { credentials: leaver.creds },
        );
        removed = removeFromTeam(team, leaver.id, admin.creds);
        await waitForLockWaiters(h.db, 2);
        await client.query("COMMIT");
      } finally {
        client.release();
      }
      const [c, r] = await Promise.all([created, removed]);
      expect(r.status).toBe(200);
      expect([200, 403]).toContain(c.status);
      await noWorkingKeyOf(team, leaver.id);
    }
  });

  it("a removal that commits while the person's new key is on its way to the proxy: the late key is blocked and the member taken off again", async () => {
    for (const where of ["current", "older"] as const) {
      const { team, admin, leaver } = await teamWithLeaver();
      const proxy = where === "current" ? h.litellm : older;
      const region = where === "current" ? h.region : olderRegion;
      // Hold the creation's first proxy call (after its row committed) while the removal
      // commits and its jobs run.
      proxy.faults.setLatency(300);
      const creating = h.mutation<Out<"keys.create">>(
        "keys.create",
        { teamId: team, name: `late-${where}`, regionId: region.id },
        { credentials: leaver.creds },
      );
      await expect.poll(() => proxy.delayedRequests, { interval: 5 }).toBeGreaterThan(0);
      proxy.faults.setLatency(0);
      expect((await removeFromTeam(team, leaver.id, admin.creds)).status).toBe(200);
      const made = await creating;
      expect(made.status).toBe(200);
      expect(await reasons(made.data.key.id)).toEqual(["owner_left"]);
      await noWorkingKeyOf(team, leaver.id);
    }
  });
});
