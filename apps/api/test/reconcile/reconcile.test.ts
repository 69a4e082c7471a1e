/**
 * regions.reconcile end to end: keys made through the API, the region's proxy (the LiteLLM
 * contract server over real HTTP) tampered with behind Gatehouse's back through its own
 * endpoints, then the report, the repair through the real job worker, the explicit orphan
 * deletion, and the worker's periodic reconciliation.
 */
import crypto from "node:crypto";
import { litellmKeyAlias } from "@gatehouse/core";
import { litellmKeyToken } from "@gatehouse/litellm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimLease } from "../../src/reconcile/run.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import { insertUserWithSession, LITELLM_MASTER_KEY } from "../support/fixtures.ts";

type Result = Out<"regions.reconcile">;

const SECRETS_KEY = crypto.randomBytes(32).toString("hex");

let h: SyncHarness;
let admin: { id: string; creds: Credentials };
const teams: Record<"a" | "b", string> = { a: "", b: "" };
const keys: Record<string, { id: string; token: string; secret: string }> = {};

/** `<region name, spaces as _>_<team id>` for the harness region "eu west". */
const identity = (teamId: string): string => `eu_west_${teamId}`;

/** A call to the proxy's own HTTP API with its master key: tampering behind Gatehouse's back. */
async function proxy(
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.litellm.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${LITELLM_MASTER_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const reconcile = (input: { repair?: boolean } = {}) =>
  h.mutationOk<Result>("regions.reconcile", { regionId: h.region.id, ...input }, admin.creds);

function counts(result: Result): Record<string, number> {
  return Object.fromEntries(Object.entries(result.report.counts).filter(([, n]) => n > 0));
}

async function createKey(team: "a" | "b", name: string): Promise<void> {
  const created = await h.mutationOk<Out<"keys.create">>(
    "keys.create",
    { teamId: teams[team], name, regionId: h.region.id },
    admin.creds,
  );
  keys[name] = {
    id: created.key.id,
    secret: created.secret,
    token: litellmKeyToken(created.secret),
  };
}

beforeAll(async () => {
  h = await startHarness({ litellm: true, env: { GATEHOUSE_SECRETS_KEY: SECRETS_KEY } });
  admin = await insertUserWithSession(h, { email: "admin@reconcile.test", isSystemAdmin: true });
  for (const t of ["a", "b"] as const) {
    teams[t] = (
      await h.mutationOk<Out<"teams.create">>("teams.create", { name: `Team ${t}` }, admin.creds)
    ).id;
  }
  for (const name of ["moved", "deleted", "renamed", "untouched"]) await createKey("a", name);
  await createKey("b", "other");
});
afterAll(() => h?.close());

describe("regions.reconcile", () => {
  let orphanToken = "";

  it("reports a region whose proxy matches Gatehouse as in step", async () => {
    const result = await reconcile();
    expect(result.inStep).toBe(true);
    expect(counts(result)).toEqual({});
  });

  it("reports exactly the four tamperings done on the proxy behind Gatehouse's back", async () => {
    expect(
      (await proxy("/key/update", { key: keys.moved!.token, team_id: identity(teams.b) })).status,
    ).toBe(200);
    expect((await proxy("/key/delete", { keys: [keys.deleted!.token] })).status).toBe(200);
    expect(
      (await proxy("/key/update", { key: keys.renamed!.token, key_alias: "changed-by-hand" }))
        .status,
    ).toBe(200);
    const orphan = await proxy("/key/generate", {
      key_alias: "stray",
      team_id: identity(teams.a),
      user_id: admin.id,
      metadata: { gatehouse_key_id: crypto.randomUUID(), gatehouse_team_id: teams.a },
    });
    expect(orphan.status).toBe(200);
    orphanToken = orphan.body.token as string;
    // A key of another tenant of the proxy (no Gatehouse metadata) is none of our business.
    expect(
      (
        await proxy("/key/generate", {
          key_alias: "someone-else",
          team_id: identity(teams.a),
          user_id: admin.id,
        })
      ).status,
    ).toBe(200);

    const result = await reconcile();
    expect(result.inStep).toBe(false);
    expect(counts(result)).toEqual({
      key_wrong_team: 1,
      key_missing: 1,
      alias_drift: 1,
      orphan_key: 1,
    });
    expect(result.differenceCount).toBe(4);
    const { examples } = result.report;
    expect(examples.key_wrong_team[0]).toMatchObject({
      keyId: keys.moved!.id,
      expected: identity(teams.a),
      actual: identity(teams.b),
    });
    expect(examples.key_missing[0]).toMatchObject({ keyId: keys.deleted!.id, restorable: true });
    expect(examples.alias_drift[0]).toMatchObject({
      keyId: keys.renamed!.id,
      actual: "changed-by-hand",
    });
    expect(examples.orphan_key[0]!.actual).toBe(identity(teams.a));

    const listed = await h.queryOk<Out<"regions.list">>("regions.list", undefined, admin.creds);
    expect(listed.find((r) => r.id === h.region.id)).toMatchObject({
      lastReconciledAt: expect.any(String),
      differenceCount: 4,
    });
  });

  it("repair: true queues jobs that converge everything but the orphan, which is still reported", async () => {
    const repaired = await reconcile({ repair: true });
    expect(repaired.repair?.queued).toBe(3);
    await h.drain();

    const status = await h.queryOk<Out<"regions.reconcileStatus">>(
      "regions.reconcileStatus",
      { regionId: h.region.id },
      admin.creds,
    );
    expect(status.repair).toMatchObject({ total: 3, done: 3 });

    const after = await reconcile();
    expect(counts(after)).toEqual({ orphan_key: 1 });
    // The lost key is back with its original secret: its id (the secret's hash) is known again.
    const info = h.litellm.state.getKey(keys.deleted!.secret);
    expect(info).toMatchObject({
      teamId: identity(teams.a),
      keyAlias: litellmKeyAlias(identity(teams.a), "deleted"),
    });
    expect(h.litellm.state.getKey(keys.moved!.token)?.teamId).toBe(identity(teams.a));
    expect(h.litellm.state.getKey(keys.renamed!.token)?.keyAlias).toBe(
      litellmKeyAlias(identity(teams.a), "renamed"),
    );
    expect(h.litellm.state.getKey(orphanToken)).toBeDefined();
  });

  it("deleteOrphanKeys removes the orphan (audited) and never a key Gatehouse knows", async () => {
    const refused = await h.mutationOk<Out<"regions.deleteOrphanKeys">>(
      "regions.deleteOrphanKeys",
      { regionId: h.region.id, keyTokens: [keys.untouched!.token] },
      admin.creds,
    );
    expect(refused.queued).toBe(0);

    const deleted = await h.mutationOk<Out<"regions.deleteOrphanKeys">>(
      "regions.deleteOrphanKeys",
      { regionId: h.region.id, keyTokens: [orphanToken] },
      admin.creds,
    );
    expect(deleted.queued).toBe(1);
    await h.drain();
    expect(h.litellm.state.getKey(orphanToken)).toBeUndefined();
    expect(h.litellm.state.getKey(keys.untouched!.token)).toBeDefined();
    expect((await reconcile()).inStep).toBe(true);
    const audit = await h.db.prisma.auditEvent.findMany({
      where: { action: "region.deleteOrphanKeys" },
    });
    expect(audit.map((a) => (a.details as { count: number }).count)).toEqual([0, 1]);
  });

  it("without keyTokens, deletes every orphan found on the proxy", async () => {
    for (const alias of ["stray-1", "stray-2"]) {
      await proxy("/key/generate", {
        key_alias: alias,
        team_id: identity(teams.b),
        user_id: admin.id,
        metadata: { gatehouse_key_id: crypto.randomUUID() },
      });
    }
    expect(counts(await reconcile())).toEqual({ orphan_key: 2 });
    const deleted = await h.mutationOk<Out<"regions.deleteOrphanKeys">>(
      "regions.deleteOrphanKeys",
      { regionId: h.region.id },
      admin.creds,
    );
    expect(deleted.queued).toBe(2);
    await h.drain();
    expect((await reconcile()).inStep).toBe(true);
  });

  it("reports a team missing on the proxy and repairs it", async () => {
    // The contract server has no /team/delete: the team is dropped from its state directly.
    h.litellm.state.teams.delete(identity(teams.b));
    const result = await reconcile({ repair: true });
    expect(counts(result)).toEqual({ team_missing: 1 });
    expect(result.report.examples.team_missing[0]).toMatchObject({
      teamId: teams.b,
      expected: identity(teams.b),
    });
    await h.drain();
    expect(h.litellm.state.getTeam(identity(teams.b))).toBeDefined();
    expect((await reconcile()).inStep).toBe(true);
  });

  it("reports a lost key whose secret was not kept as not restorable, and repairs nothing for it", async () => {
    await createKey("b", "unsealed");
    await h.db.prisma.apiKey.update({
      where: { id: keys.unsealed!.id },
      data: { secretSealed: null },
    });
    await proxy("/key/delete", { keys: [keys.unsealed!.token] });
    const result = await reconcile({ repair: true });
    expect(counts(result)).toEqual({ key_missing: 1 });
    expect(result.report.notRestorable).toBe(1);
    expect(result.report.examples.key_missing[0]).toMatchObject({
      keyId: keys.unsealed!.id,
      restorable: false,
    });
    expect(result.repair?.queued).toBe(0);
    await h.mutationOk("keys.delete", { keyId: keys.unsealed!.id }, admin.creds);
    await h.drain();
    expect((await reconcile()).inStep).toBe(true);
  });

  it("leaves out a difference whose fix is already queued (a key deletion waiting for the worker)", async () => {
    await createKey("a", "being-deleted");
    await h.stopWorker();
    try {
      await h.mutationOk("keys.delete", { keyId: keys["being-deleted"]!.id }, admin.creds);
      const result = await reconcile();
      expect(result.inStep).toBe(true);
      expect(result.report.inFlight).toBe(1);
    } finally {
      h.startWorker();
    }
    await h.drain();
  });

  it("refuses a second reconciliation of a region while one holds its lease (409)", async () => {
    expect(await claimLease(h.db, h.region.id, "someone-else")).toBe(true);
    try {
      const res = await h.mutation(
        "regions.reconcile",
        { regionId: h.region.id },
        { credentials: admin.creds },
      );
      expect(res.status).toBe(409);
    } finally {
      await h.db.pool.query(
        `UPDATE region_reconciliations SET running_by = NULL, running_until = NULL`,
      );
    }
  });

  it("the worker reconciles every active region periodically and keeps the last report", async () => {
    await h.stopWorker();
    await h.db.pool.query(`DELETE FROM region_reconciliations`);
    await proxy("/key/update", { key: keys.untouched!.token, key_alias: "drifted" });
    const worker = h.startWorker({ reconcileIntervalMs: 3_600_000 });
    await worker.reconcileDue();
    const status = await h.queryOk<Out<"regions.reconcileStatus">>(
      "regions.reconcileStatus",
      { regionId: h.region.id },
      admin.creds,
    );
    expect(status.lastReconciledAt).not.toBeNull();
    expect(status.differenceCount).toBe(1);
    expect(status.report?.counts.alias_drift).toBe(1);
    // Not due again within the interval: a second round leaves the report as it was.
    const before = status.lastReconciledAt;
    await worker.reconcileDue();
    const again = await h.queryOk<Out<"regions.reconcileStatus">>(
      "regions.reconcileStatus",
      { regionId: h.region.id },
      admin.creds,
    );
    expect(again.lastReconciledAt).toBe(before);
  });

  it("refuses bad input field by field", async () => {
    const res = await h.mutation(
      "regions.deleteOrphanKeys",
      { regionId: h.region.id, keyTokens: ["sk-not-a-token"] },
      { credentials: admin.creds },
    );
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toHaveProperty(["keyTokens.0"]);
  });
});
