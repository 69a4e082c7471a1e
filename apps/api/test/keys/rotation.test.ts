/**
 * Rotation that keeps clients working, on open-source LiteLLM (no `/key/regenerate`):
 * during the overlap both secrets work on the key's proxy, after it only the new one; a
 * crash or a failing call at each step converges without a moment where neither works;
 * blocks reach both secrets; reconciliation sees no drift meanwhile; scheduled rotation
 * rotates a due key once and mails a reveal link, never the secret. HTTP API, real
 * database, two LiteLLM contract servers over real HTTP, the real worker.
 */
import crypto from "node:crypto";
import { litellmKeyToken, LiteLLMClient } from "@gatehouse/litellm";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { queueDueSecretRetirements } from "@gatehouse/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { rotateDueKeys } from "../../src/workflows/keys/rotate.ts";
import { startHarness, sweepOnDemand, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

const SECRETS_KEY = crypto.randomBytes(32);
const HOUR = 3_600_000;

let h: SyncHarness;
let second: ContractServer;
let region2: { id: string; name: string };
let admin: Credentials;
let teamAdmin: { id: string; creds: Credentials };
let teamId: string;
let sweepNow = new Date();
let seq = 0;

beforeAll(async () => {
  h = await startHarness({
    config: { secretsKey: SECRETS_KEY },
    litellm: { worker: sweepOnDemand(() => sweepNow, { extraGraceDays: 2 }) },
  });
  ({ litellm: second, region: region2 } = await h.addRegion("us east"));
  admin = (await fx.insertUserWithSession(h, { email: "admin@rotation.test", isSystemAdmin: true }))
    .creds;
  teamId = await fx.insertTeam(h.db, { name: "Rotation", organizationId: null });
  teamAdmin = await fx.insertUserWithSession(h, { email: "lead@rotation.test" });
  await fx.addTeamMember(h.db, teamId, teamAdmin.id, "ADMIN");
});
afterAll(() => h?.close());
afterEach(async () => {
  await h.resetFaults();
  if (!hasWorker()) h.startWorker();
});

function hasWorker(): boolean {
  try {
    return Boolean(h.worker);
  } catch {
    return false;
  }
}

const servers = () => [
  { region: h.region, server: h.litellm },
  { region: region2, server: second },
];
const clientOf = (server: ContractServer) =>
  new LiteLLMClient({ baseUrl: server.url, masterKey: fx.LITELLM_MASTER_KEY });
const works = async (server: ContractServer, secret: string) =>
  (await clientOf(server).checkKey(secret)).usable;
const checkOf = (server: ContractServer, secret: string) => clientOf(server).checkKey(secret);

async function newKey(regionId: string): Promise<{ keyId: string; secret: string }> {
  const created = await h.mutationOk<Out<"keys.create">>(
    "keys.create",
    { teamId, name: `rot-${++seq}`, regionId },
    teamAdmin.creds,
  );
  await h.converge();
  return { keyId: created.key.id, secret: created.secret };
}

const rotate = (keyId: string, overlapHours?: number) =>
  h.mutationOk<Out<"keys.rotate">>(
    "keys.rotate",
    overlapHours === undefined ? { keyId } : { keyId, overlapHours },
    teamAdmin.creds,
  );

/**
 * Runs the sweep as if `hours` had passed since the API's clock's now (the API's clock
 * stays: sessions live on it).
 */
async function sweepAt(hours: number): Promise<void> {
  sweepNow = new Date(h.clock.now().getTime() + hours * HOUR);
  await h.worker.enforceDue();
  await h.converge();
}

async function listed(keyId: string) {
  const page = await h.queryOk<Out<"keys.list">>("keys.list", { teamId }, teamAdmin.creds);
  return page.items.find((k) => k.id === keyId)!;
}

describe("keys.rotate", () => {
  it("keeps both secrets working during the overlap on each proxy, then only the new one", async () => {
    for (const { region, server } of servers()) {
      const { keyId, secret: old } = await newKey(region.id);
      const rotated = await rotate(keyId, 2);
      expect(rotated.secret).not.toBe(old);
      // The answer's secret works at once (placed inline; the job is the durable path).
      expect(await works(server, rotated.secret)).toBe(true);
      await h.converge();
      expect(await works(server, old)).toBe(true);
      expect(await works(server, rotated.secret)).toBe(true);
      // The new secret holds the key's alias; the old one stepped aside.
      const newInfo = await clientOf(server).keyInfo(litellmKeyToken(rotated.secret));
      const oldInfo = await clientOf(server).keyInfo(litellmKeyToken(old));
      expect(oldInfo.keyAlias).toBe(`${newInfo.keyAlias}-r${litellmKeyToken(old).slice(0, 8)}`);
      expect(newInfo.teamId).toBe(oldInfo.teamId);

      const item = await listed(keyId);
      expect(item.keyPrefix).toBe(rotated.keyPrefix);
      expect(item.secrets).toEqual([
        { keyPrefix: rotated.keyPrefix, state: "active", retireAt: null },
        { keyPrefix: rotated.previousPrefix, state: "retiring", retireAt: rotated.retireAt },
      ]);

      // Not yet due: the sweep leaves it.
      await sweepAt(1);
      expect(await works(server, old)).toBe(true);
      // Due: retired on the next sweep.
      await sweepAt(2.01);
      expect(await checkOf(server, old)).toEqual({ usable: false, reason: "unknown" });
      expect(await works(server, rotated.secret)).toBe(true);
      expect((await listed(keyId)).secrets.map((s) => s.state)).toEqual(["active"]);
      const audit = await h.db.prisma.auditEvent.findMany({
        where: { targetId: keyId, action: { in: ["key.rotate", "key.secret_retired"] } },
        orderBy: { createdAt: "asc" },
      });
      expect(audit.map((a) => a.action)).toEqual(["key.rotate", "key.secret_retired"]);
      expect(JSON.stringify(audit)).not.toContain(rotated.secret);
    }
  });

  it("retires the old secret at once with overlapHours 0", async () => {
    const { keyId, secret: old } = await newKey(h.region.id);
    const rotated = await rotate(keyId, 0);
    await h.converge();
    expect(await works(h.litellm, old)).toBe(false);
    expect(await works(h.litellm, rotated.secret)).toBe(true);
    expect((await listed(keyId)).secrets).toHaveLength(1);
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const { keyId } = await newKey(h.region.id);
    for (const overlapHours of [-1, 721, "24"]) {
      const res = await h.mutation(
        "keys.rotate",
        { keyId, overlapHours },
        {
          credentials: teamAdmin.creds,
        },
      );
      expect(res.status).toBe(400);
    }
    expect((await listed(keyId)).secrets).toHaveLength(1);
  });

  it("rotating again ends the previous overlap; the newest two work meanwhile", async () => {
    const { keyId, secret: first } = await newKey(h.region.id);
    const a = await rotate(keyId, 5);
    const b = await rotate(keyId, 5);
    await h.converge();
    expect(await works(h.litellm, first)).toBe(false);
    expect(await works(h.litellm, a.secret)).toBe(true);
    expect(await works(h.litellm, b.secret)).toBe(true);
    await sweepAt(5.01);
    expect(await works(h.litellm, a.secret)).toBe(false);
    expect(await works(h.litellm, b.secret)).toBe(true);
  });

  it("converges after a crash at each step, never leaving neither secret working", async () => {
    const { keyId, secret: old } = await newKey(h.region.id);
    // Step 1: the proxy refuses the inline placement and the worker is down.
    await h.stopWorker();
    h.litellm.faults.failNext(1, 500, { path: "/key/generate" });
    const rotated = await rotate(keyId, 1);
    expect(await works(h.litellm, old)).toBe(true);
    expect(await works(h.litellm, rotated.secret)).toBe(false);
    // Step 2: the worker comes back; its first try fails mid-way too, the retry gets it.
    h.litellm.faults.failNext(1, 503, { path: "/key/generate" });
    h.startWorker();
    await h.converge();
    expect(await works(h.litellm, old)).toBe(true);
    expect(await works(h.litellm, rotated.secret)).toBe(true);
    // Step 3: the overlap ends while the worker is down: the retirement is queued only.
    await h.stopWorker();
    expect(
      await queueDueSecretRetirements(h.db, new Date(h.clock.now().getTime() + 2 * HOUR)),
    ).toBe(1);
    // Queued once, however many sweeps see it.
    expect(
      await queueDueSecretRetirements(h.db, new Date(h.clock.now().getTime() + 2 * HOUR)),
    ).toBe(0);
    expect(await works(h.litellm, old)).toBe(true);
    // Step 4: the delete fails once, then goes through on the retry.
    h.litellm.faults.failNext(1, 500, { path: "/key/delete" });
    h.startWorker();
    await h.converge();
    expect(await works(h.litellm, old)).toBe(false);
    expect(await works(h.litellm, rotated.secret)).toBe(true);
    expect((await listed(keyId)).secrets).toHaveLength(1);
  });

  it("a retirement that runs before the new secret's job places it first", async () => {
    const { keyId, secret: old } = await newKey(h.region.id);
    await h.stopWorker();
    h.litellm.faults.failNext(1, 500, { path: "/key/generate" });
    const rotated = await rotate(keyId, 0);
    // The creation job lost (as if it had died): only the retirement is left to run.
    await h.db.pool.query(
      `UPDATE jobs SET status = 'DONE' WHERE kind = 'litellm.addKeySecret' AND status = 'PENDING'`,
    );
    expect(await works(h.litellm, old)).toBe(true);
    h.startWorker();
    await h.converge();
    expect(await works(h.litellm, rotated.secret)).toBe(true);
    expect(await works(h.litellm, old)).toBe(false);
  });

  it("blocks reach both secrets during the overlap, and lifts too", async () => {
    const { keyId, secret: old } = await newKey(region2.id);
    const rotated = await rotate(keyId, 3);
    await h.converge();
    await h.mutationOk("keys.block", { keyId }, teamAdmin.creds);
    await h.converge();
    expect(await checkOf(second, old)).toEqual({ usable: false, reason: "blocked" });
    expect(await checkOf(second, rotated.secret)).toEqual({ usable: false, reason: "blocked" });
    await h.mutationOk("keys.unblock", { keyId }, teamAdmin.creds);
    await h.converge();
    expect(await works(second, old)).toBe(true);
    expect(await works(second, rotated.secret)).toBe(true);
  });

  it("a rotation of a blocked key makes the new secret blocked too", async () => {
    const { keyId } = await newKey(h.region.id);
    await h.mutationOk("keys.block", { keyId }, teamAdmin.creds);
    await h.converge();
    const rotated = await rotate(keyId, 1);
    await h.converge();
    expect(await checkOf(h.litellm, rotated.secret)).toEqual({ usable: false, reason: "blocked" });
  });

  it("reconciliation reports no drift during the overlap", async () => {
    const { keyId } = await newKey(h.region.id);
    await rotate(keyId, 4);
    await h.converge();
    for (const { region } of servers()) {
      const result = await h.mutationOk<Out<"regions.reconcile">>(
        "regions.reconcile",
        { regionId: region.id, repair: false },
        admin,
      );
      expect(result.inStep).toBe(true);
    }
  });

  it("deleting a key during the overlap deletes both secrets on the proxy", async () => {
    const { keyId, secret: old } = await newKey(h.region.id);
    const rotated = await rotate(keyId, 4);
    await h.converge();
    await h.mutationOk("keys.delete", { keyId }, teamAdmin.creds);
    await h.converge();
    expect(await works(h.litellm, old)).toBe(false);
    expect(await works(h.litellm, rotated.secret)).toBe(false);
  });
});

describe("scheduled rotation", () => {
  it("rotates a due key once, mails a reveal link, and reveals the secret once", async () => {
    const team = await fx.insertTeam(h.db, { name: "Scheduled", organizationId: null });
    await fx.addTeamMember(h.db, team, teamAdmin.id, "ADMIN");
    const created = await h.mutationOk<Out<"keys.create">>(
      "keys.create",
      { teamId: team, name: "sched", regionId: h.region.id },
      teamAdmin.creds,
    );
    await h.converge();
    const keyId = created.key.id;
    await h.db.prisma.team.update({ where: { id: team }, data: { rotateEveryDays: 30 } });
    // Not due yet.
    await sweepAt(24 * 29);
    expect(await works(h.litellm, created.secret)).toBe(true);
    expect(await h.db.prisma.apiKeySecret.count({ where: { apiKeyId: keyId } })).toBe(0);

    // Two workers at once: the key is rotated once.
    const dueAt = new Date(h.clock.now().getTime() + 31 * 24 * HOUR);
    const deps = {
      db: h.db,
      secretsKey: SECRETS_KEY,
      publicUrl: () => "http://gatehouse.test",
      log: createLogger("silent"),
    };
    const counts = await Promise.all([rotateDueKeys(deps, dueAt), rotateDueKeys(deps, dueAt)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    sweepNow = dueAt;
    await h.worker.enforceDue();
    await h.converge();
    const rotations = await h.db.prisma.auditEvent.count({
      where: { targetId: keyId, action: "key.rotate" },
    });
    expect(rotations).toBe(1);
    // The old secret still works (the default overlap), the mail has only a link.
    expect(await works(h.litellm, created.secret)).toBe(true);
    const mails = await h.db.prisma.mail.findMany({ where: { purpose: "key_rotated" } });
    expect(mails.map((m) => m.toAddress)).toEqual(["lead@rotation.test"]);
    expect(mails[0]!.textBody).toContain(`/keys/${keyId}/reveal`);

    const revealed = await h.mutationOk<Out<"keys.revealSecret">>(
      "keys.revealSecret",
      { keyId },
      teamAdmin.creds,
    );
    expect(mails[0]!.textBody).not.toContain(revealed.secret);
    expect(mails[0]!.htmlBody).not.toContain(revealed.secret);
    expect(await works(h.litellm, revealed.secret)).toBe(true);
    const again = await h.mutation(
      "keys.revealSecret",
      { keyId },
      { credentials: teamAdmin.creds },
    );
    expect(again.status).toBe(412);
  });
});

describe("rotation policy", () => {
  it("the smaller of the team's (teams.update) and its products' rotateEveryDays applies", async () => {
    const team = await fx.insertTeam(h.db, { name: "Policy", organizationId: null });
    const updated = await h.mutationOk<Out<"teams.update">>(
      "teams.update",
      { teamId: team, rotateEveryDays: 30 },
      admin,
    );
    expect(updated.rotateEveryDays).toBe(30);
    const bad = await h.mutation(
      "teams.update",
      { teamId: team, rotateEveryDays: 0 },
      {
        credentials: admin,
      },
    );
    expect(bad.status).toBe(400);
    const product = await h.mutationOk<Out<"products.create">>(
      "products.create",
      { name: "Weekly rotation", limits: { rotateEveryDays: 7 } },
      admin,
    );
    expect(product.limits.rotateEveryDays).toBe(7);
    await h.mutationOk("products.attach", { teamId: team, productId: product.id }, admin);
    const created = await h.mutationOk<Out<"keys.create">>(
      "keys.create",
      { teamId: team, name: "weekly", regionId: h.region.id },
      admin,
    );
    await h.converge();
    const deps = {
      db: h.db,
      secretsKey: SECRETS_KEY,
      publicUrl: () => "http://gatehouse.test",
      log: createLogger("silent"),
    };
    const at = (days: number) => new Date(h.clock.now().getTime() + days * 24 * HOUR);
    expect(await rotateDueKeys(deps, at(6))).toBe(0);
    expect(await rotateDueKeys(deps, at(8))).toBe(1);
    // Rotated: not due again until its new secret is as old.
    expect(await rotateDueKeys(deps, at(9))).toBe(0);
    await h.converge();
    const item = (
      await h.queryOk<Out<"keys.list">>("keys.list", { teamId: team }, admin)
    ).items.find((k) => k.id === created.key.id)!;
    expect(item.secrets.map((s) => s.state)).toEqual(["active", "retiring"]);
  });
});

describe("open-source calls only", () => {
  it("never calls /key/regenerate", () => {
    expect(h.litellm.state.regenerateCalls).toBe(0);
    expect(second.state.regenerateCalls).toBe(0);
  });
});
