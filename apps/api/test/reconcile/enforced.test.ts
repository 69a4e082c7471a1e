/**
 * "In step" includes what the proxies enforce: limits and blocks changed on a proxy behind
 * Gatehouse's back are reported (`limits_drift`, `block_drift`) and repaired; a team and a
 * key the proxy lost come back with their limits, blocks and routes, not bare; a restore
 * pending while its key is deleted does not bring the key back. HTTP API, real database, two
 * LiteLLM contract servers over real HTTP, the real worker.
 */
import crypto from "node:crypto";
import { budgetDurationToSend, litellmKeyAlias, litellmTeamId } from "@gatehouse/core";
import { keyBlockReasons, loadTeamEntitlement, teamBlockedState } from "@gatehouse/db";
import { LiteLLMClient, litellmKeyToken } from "@gatehouse/litellm";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runJob } from "../../src/worker/handlers.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import { insertTeam, insertUserWithSession, LITELLM_MASTER_KEY } from "../support/fixtures.ts";

const SECRETS_KEY = crypto.randomBytes(32).toString("hex");
const DEFAULT = { maxBudgetUsd: 5, budgetDuration: "30d", rpmLimit: 10, tpmLimit: 1000 };

let h: SyncHarness;
let second: ContractServer;
let region2: { id: string; name: string };
let admin: Credentials;
let productSeq = 0;

beforeAll(async () => {
  h = await startHarness({
    litellm: true,
    env: {
      GATEHOUSE_SECRETS_KEY: SECRETS_KEY,
      GATEHOUSE_DEFAULT_ENTITLEMENT: JSON.stringify(DEFAULT),
    },
  });
  ({ litellm: second, region: region2 } = await h.addRegion("us east"));
  admin = (await insertUserWithSession(h, { email: "admin@enforced.test", isSystemAdmin: true }))
    .creds;
});
afterAll(() => h?.close());
afterEach(() => h.resetFaults());

const regions = () => [
  { region: h.region, server: h.litellm },
  { region: region2, server: second },
];

/** A call to a proxy's own HTTP API with its master key: a change behind Gatehouse's back. */
async function proxy(server: ContractServer, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${LITELLM_MASTER_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return res.status;
}

const reconcile = (regionId: string, repair = false) =>
  h.mutationOk<Out<"regions.reconcile">>("regions.reconcile", { regionId, repair }, admin);

function counts(result: Out<"regions.reconcile">): Record<string, number> {
  return Object.fromEntries(Object.entries(result.report.counts).filter(([, n]) => n > 0));
}

async function limitedTeam(name: string): Promise<string> {
  const teamId = await insertTeam(h.db, { name, organizationId: null });
  const product = await h.mutationOk<Out<"products.create">>(
    "products.create",
    {
      name: `Enforced ${++productSeq}`,
      limits: {
        maxBudgetUsd: 1000,
        budgetDuration: "30d",
        rpmLimit: 60,
        tpmLimit: 90_000,
        models: ["gpt-4o", "claude"],
      },
    },
    admin,
  );
  await h.mutationOk("products.attach", { teamId, productId: product.id }, admin);
  return teamId;
}

async function createKey(teamId: string, name: string, regionId: string) {
  const created = await h.mutationOk<Out<"keys.create">>(
    "keys.create",
    { teamId, name, regionId },
    admin,
  );
  return { id: created.key.id, secret: created.secret, token: litellmKeyToken(created.secret) };
}

const EXPECTED_LIMITS = {
  max_budget: 1000,
  budget_duration: "30d",
  rpm_limit: 60,
  tpm_limit: 90_000,
};

describe("limits and blocks changed on a proxy", () => {
  it("are reported as limits_drift and block_drift on every region, and repair puts them back without restarting the budget period", async () => {
    const teamId = await limitedTeam("Drifting");
    const keys = new Map<string, { id: string; secret: string; token: string }>();
    for (const { region } of regions())
      keys.set(region.id, await createKey(teamId, `k-${region.name.replace(" ", "-")}`, region.id));
    await h.mutationOk("teams.block", { teamId, reason: "unpaid" }, admin);
    for (const key of keys.values()) await h.mutationOk("keys.block", { keyId: key.id }, admin);
    await h.converge();
    for (const { region } of regions()) expect((await reconcile(region.id)).inStep).toBe(true);

    for (const { region, server } of regions()) {
      const litellmTeam = litellmTeamId(region.name, teamId);
      // Someone raises the budget, lifts the rate limit and unblocks in LiteLLM's own UI.
      expect(
        await proxy(server, "/team/update", {
          team_id: litellmTeam,
          max_budget: 5000,
          rpm_limit: null,
        }),
      ).toBe(200);
      expect(await proxy(server, "/team/unblock", { team_id: litellmTeam })).toBe(200);
      expect(await proxy(server, "/key/unblock", { key: keys.get(region.id)!.token })).toBe(200);
      // An older key: no route restriction.
      expect(
        await proxy(server, "/key/update", { key: keys.get(region.id)!.token, allowed_routes: [] }),
      ).toBe(200);
    }
    const resetBefore = new Map<string, string | null | undefined>();
    for (const { region, server } of regions()) {
      const team = server.state.getTeam(litellmTeamId(region.name, teamId))!;
      // A period running since before today (its reset is not what "30d" sent now would
      // give, the 1st of next month): a repair must not restart it.
      team.budgetResetAt = "2026-12-20T00:00:00.000Z";
      resetBefore.set(region.id, team.budgetResetAt);
    }

    for (const { region } of regions()) {
      const result = await reconcile(region.id);
      expect(counts(result)).toEqual({ limits_drift: 2, block_drift: 2 });
      const limits = result.report.examples.limits_drift;
      expect(limits).toContainEqual(
        expect.objectContaining({
          teamId,
          keyId: null,
          expected: "max_budget=1000, rpm_limit=60",
          actual: "max_budget=5000, rpm_limit=none",
        }),
      );
      expect(limits).toContainEqual(
        expect.objectContaining({
          keyId: keys.get(region.id)!.id,
          expected: "allowed_routes=llm_api_routes",
          actual: "allowed_routes=all",
        }),
      );
      expect(result.report.examples.block_drift).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            teamId,
            keyId: null,
            expected: "blocked",
            actual: "unblocked",
          }),
          expect.objectContaining({
            keyId: keys.get(region.id)!.id,
            expected: "blocked",
            actual: "unblocked",
          }),
        ]),
      );
    }

    for (const { region } of regions()) {
      const repaired = await reconcile(region.id, true);
      expect(counts(repaired), JSON.stringify(repaired.report)).toEqual({
        limits_drift: 2,
        block_drift: 2,
      });
      expect(repaired.repair?.queued).toBe(4);
    }
    await h.converge();
    for (const { region, server } of regions()) {
      expect((await reconcile(region.id)).inStep).toBe(true);
      const team = server.state.getTeam(litellmTeamId(region.name, teamId))!;
      expect(team).toMatchObject({
        maxBudget: 1000,
        budgetDuration: "30d",
        rpmLimit: 60,
        blocked: true,
        budgetResetAt: resetBefore.get(region.id),
      });
      expect(server.state.getKey(keys.get(region.id)!.token)).toMatchObject({
        blocked: true,
        allowedRoutes: ["llm_api_routes"],
      });
    }
    // The pure rule the push follows (unchanged duration: not sent).
    expect(budgetDurationToSend("30d", "30d")).toBeUndefined();
  });
});

describe("a team and a key the proxy lost", () => {
  it("come back with their limits, blocks, owner and routes on every region", async () => {
    const teamId = await limitedTeam("Lost and limited");
    const keys = new Map<string, { id: string; secret: string; token: string }>();
    for (const { region } of regions())
      keys.set(
        region.id,
        await createKey(teamId, `kept-${region.name.replace(" ", "-")}`, region.id),
      );
    for (const key of keys.values()) await h.mutationOk("keys.block", { keyId: key.id }, admin);
    await h.mutationOk("teams.block", { teamId, reason: "manual" }, admin);
    await h.converge();

    for (const { region, server } of regions()) {
      // LiteLLM deletes a team's keys with it: both are lost.
      expect(
        await proxy(server, "/team/delete", { team_ids: [litellmTeamId(region.name, teamId)] }),
      ).toBe(200);
      expect(server.state.getKey(keys.get(region.id)!.token)).toBeUndefined();
      const result = await reconcile(region.id, true);
      expect(counts(result), JSON.stringify(result.report)).toEqual({
        team_missing: 1,
        key_missing: 1,
      });
    }
    await h.converge();

    for (const { region, server } of regions()) {
      const team = server.state.getTeam(litellmTeamId(region.name, teamId));
      expect(team).toMatchObject({ ...camel(EXPECTED_LIMITS), blocked: true });
      expect([...team!.models!].sort()).toEqual(["claude", "gpt-4o"]);
      expect(server.state.getKey(keys.get(region.id)!.secret)).toMatchObject({
        teamId: litellmTeamId(region.name, teamId),
        blocked: true,
        allowedRoutes: ["llm_api_routes"],
        userId: expect.any(String),
      });
      expect((await reconcile(region.id)).inStep).toBe(true);
    }
  });
});

describe("self-repairs of a merge's jobs", () => {
  it("addMembers and moveKey re-create a team the proxy lost with its limits and block", async () => {
    const deps = {
      teamName: (id: string) =>
        h.db.prisma.team
          .findUnique({ where: { id }, select: { name: true } })
          .then((t) => t?.name ?? null),
      entitlement: (id: string) =>
        loadTeamEntitlement(h.db.prisma, id, h.config.defaultEntitlement),
      teamBlocked: (id: string) => teamBlockedState(h.db.pool, id),
    };
    const client = new LiteLLMClient({ baseUrl: h.litellm.url, masterKey: LITELLM_MASTER_KEY });
    try {
      for (const kind of ["litellm.addMembers", "litellm.moveKey"] as const) {
        const target = await limitedTeam(`Repaired by ${kind}`);
        await h.mutationOk("teams.block", { teamId: target, reason: "x" }, admin);
        await h.converge();
        const litellmTeam = litellmTeamId(h.region.name, target);
        // Lost on the proxy (pushes of the block and limits created it).
        expect(await proxy(h.litellm, "/team/delete", { team_ids: [litellmTeam] })).toBe(200);
        let outcome: string;
        if (kind === "litellm.addMembers") {
          outcome = await runJob(
            client,
            kind,
            {
              teamId: litellmTeam,
              teamAlias: `Repaired by ${kind}`,
              members: [{ userId: "u-repair", role: "user" }],
            },
            deps,
          );
        } else {
          const source = await limitedTeam("Move source");
          const key = await createKey(source, "moving", h.region.id);
          await h.converge();
          const move = () =>
            runJob(
              client,
              kind,
              {
                keyToken: key.token,
                teamId: litellmTeam,
                teamAlias: `Repaired by ${kind}`,
                keyAlias: litellmKeyAlias(litellmTeam, "moving"),
                ownerUserId: null,
              },
              deps,
            );
          // The first attempt re-creates the team, then finds the owner not yet a member
          // (a merge adds members in an earlier stage); the retry adds the owner and moves.
          const first = await move().catch((e: unknown) => e);
          expect(first).toMatchObject({ reason: "not_team_member" });
          outcome = await move();
          expect(h.litellm.state.getKey(key.token)?.teamId).toBe(litellmTeam);
        }
        expect(outcome).toMatch(/after repair/);
        expect(h.litellm.state.getTeam(litellmTeam), kind).toMatchObject({
          ...camel(EXPECTED_LIMITS),
          blocked: true,
        });
      }
    } finally {
      client.close();
    }
  });
});

function camel(limits: typeof EXPECTED_LIMITS) {
  return {
    maxBudget: limits.max_budget,
    budgetDuration: limits.budget_duration,
    rpmLimit: limits.rpm_limit,
    tpmLimit: limits.tpm_limit,
  };
}

describe("a restore that finds the key after all", () => {
  it("verifies with /key/info what the proxy holds (LiteLLM's generate of an existing secret changes nothing) and corrects it", async () => {
    const teamId = await limitedTeam("Restore verify");
    const key = await createKey(teamId, "verified", h.region.id);
    await h.mutationOk("keys.block", { keyId: key.id }, admin);
    await h.converge();
    // Behind Gatehouse's back: renamed and unblocked on the proxy.
    expect(await proxy(h.litellm, "/key/update", { key: key.token, key_alias: "by-hand" })).toBe(
      200,
    );
    expect(await proxy(h.litellm, "/key/unblock", { key: key.token })).toBe(200);
    const { rows } = await h.db.pool.query<{ secret_sealed: string }>(
      `SELECT secret_sealed FROM api_keys WHERE id = $1::uuid`,
      [key.id],
    );
    const litellmTeam = litellmTeamId(h.region.name, teamId);
    const keyAlias = litellmKeyAlias(litellmTeam, "verified");
    // The restore's presence check misses the key (a stale read), so it generates it again.
    h.litellm.faults.failNext(1, 404, { path: "/key/info" });
    const since = h.litellm.state.snapshot().requestCount;
    const client = new LiteLLMClient({ baseUrl: h.litellm.url, masterKey: LITELLM_MASTER_KEY });
    try {
      const outcome = await runJob(
        client,
        "litellm.restoreKey",
        {
          keyToken: key.token,
          secretSealed: rows[0]!.secret_sealed,
          teamId: litellmTeam,
          teamAlias: "Restore verify",
          keyAlias,
          ownerUserId: "u-verify",
          metadata: { gatehouse_key_id: key.id, gatehouse_team_id: teamId },
        },
        {
          teamName: () => Promise.resolve("Restore verify"),
          secretsKeys: [Buffer.from(SECRETS_KEY, "hex")],
          keyBlocked: async (keyId) => {
            const reasons = await keyBlockReasons(h.db.pool, keyId);
            return reasons === null ? null : reasons.length > 0;
          },
        },
      );
      expect(outcome).toBe("restored blocked");
    } finally {
      client.close();
    }
    const generate = h.litellm.state.requestsSince(since).filter((r) => r.path === "/key/generate");
    expect(generate.map((r) => r.status)).toEqual([200]);
    expect(h.litellm.state.getKey(key.token)).toMatchObject({
      keyAlias,
      teamId: litellmTeam,
      blocked: true,
    });
  });
});

describe("a restore pending while its key is deleted", () => {
  it("is cancelled by keys.delete and never brings the key back", async () => {
    const teamId = await limitedTeam("Restore race");
    const key = await createKey(teamId, "doomed", h.region.id);
    await h.converge();
    expect(await proxy(h.litellm, "/key/delete", { keys: [key.token] })).toBe(200);
    // The restore waits (no worker runs it) while the key is deleted in Gatehouse.
    await h.stopWorker();
    expect((await reconcile(h.region.id, true)).report.counts.key_missing).toBe(1);
    const { rows: queued } = await h.db.pool.query<{ status: string }>(
      `SELECT status FROM jobs WHERE kind = 'litellm.restoreKey' AND api_key_id = $1::uuid`,
      [key.id],
    );
    expect(queued.map((r) => r.status)).toEqual(["PENDING"]);
    await h.mutationOk("keys.delete", { keyId: key.id }, admin);
    h.startWorker();
    await h.converge();
    expect(h.litellm.state.getKey(key.token)).toBeUndefined();
    const { rows } = await h.db.pool.query<{ status: string; last_error: string | null }>(
      `SELECT status, last_error FROM jobs WHERE kind = 'litellm.restoreKey' AND api_key_id = $1::uuid`,
      [key.id],
    );
    expect(rows).toEqual([{ status: "DONE", last_error: "cancelled: the key was deleted" }]);
    expect(
      h.litellm.state.requests.filter(
        (r) => r.path === "/key/generate" && JSON.stringify(r.body).includes(key.id),
      ),
    ).toHaveLength(1);
  });

  it("a restore already claimed when the key is deleted re-reads the key and creates nothing", async () => {
    const teamId = await limitedTeam("Restore claimed");
    const key = await createKey(teamId, "claimed", h.region.id);
    await h.converge();
    const { rows } = await h.db.pool.query<{ secret_sealed: string }>(
      `SELECT secret_sealed FROM api_keys WHERE id = $1::uuid`,
      [key.id],
    );
    const payload = {
      keyToken: key.token,
      secretSealed: rows[0]!.secret_sealed,
      teamId: litellmTeamId(h.region.name, teamId),
      teamAlias: "Restore claimed",
      keyAlias: "x",
      ownerUserId: "u",
      metadata: { gatehouse_key_id: key.id, gatehouse_team_id: teamId },
    };
    await h.mutationOk("keys.delete", { keyId: key.id }, admin);
    await h.converge();
    const client = new LiteLLMClient({ baseUrl: h.litellm.url, masterKey: LITELLM_MASTER_KEY });
    try {
      const outcome = await runJob(client, "litellm.restoreKey", payload, {
        teamName: () => Promise.resolve("Restore claimed"),
        secretsKeys: [Buffer.from(SECRETS_KEY, "hex")],
        keyBlocked: () => Promise.resolve(null),
      });
      expect(outcome).toBe("key gone");
    } finally {
      client.close();
    }
    expect(h.litellm.state.getKey(key.token)).toBeUndefined();
  });
});
