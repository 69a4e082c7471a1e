/**
 * Region master keys are sealed at rest, over HTTP and real processes: whoever reads the
 * database does not get a proxy's master key; regions created or updated are stored sealed
 * and still drive their proxy; a server start seals rows still in clear, or refuses in one
 * line when there is no key to seal them with; and GATEHOUSE_SECRETS_KEY can be rotated
 * (the previous key still opens, `gatehouse reseal-secrets` moves everything to the new one).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { resealSecrets, sealMasterKeysAtStart } from "../../src/sealing.ts";
import {
  idpSecretBinding,
  isSealed,
  openMasterKey,
  openSecret,
  parseSecretsKey,
  sealSecret,
  storedMasterKey,
} from "../../src/secrets.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { callOk, type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

const OLD_KEY = "aa".repeat(32);
const NEW_KEY = "bb".repeat(32);
const apiRoot = path.resolve(import.meta.dirname, "../..");

let h: SyncHarness;
let admin: Credentials;
let teamId: string;

beforeAll(async () => {
  h = await startHarness({ litellm: true, env: { GATEHOUSE_SECRETS_KEY: OLD_KEY } });
  admin = (
    await fx.insertUserWithSession(h, { email: "root@sealed.example.com", isSystemAdmin: true })
  ).creds;
  const org = await fx.insertOrganization(h.db, "Sealed Org");
  teamId = await fx.insertTeam(h.db, { name: "Sealed Team", organizationId: org });
});
afterAll(() => h?.close());

async function storedMasterKeyOf(regionId: string): Promise<string> {
  const row = await h.db.prisma.region.findUniqueOrThrow({ where: { id: regionId } });
  return row.litellmMasterKey;
}

/** Runs a Gatehouse entry point as its own process; resolves with its exit code and output. */
function runProcess(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(apiRoot, script), ...args],
      {
        cwd: apiRoot,
        env: {
          ...process.env,
          GATEHOUSE_SECRETS_KEY: "",
          GATEHOUSE_SECRETS_KEY_PREVIOUS: "",
          GATEHOUSE_LOG_LEVEL: "warn",
          DATABASE_URL: h.db.url,
          ...(h.db.backend === "pglite" ? { GATEHOUSE_DB_POOL_MAX: "1" } : {}),
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("master keys are stored sealed and still drive their proxy", () => {
  it("regions.create and regions.update store the master key sealed, bound to the region", async () => {
    const created = await h.mutationOk<Out<"regions.create">>(
      "regions.create",
      {
        name: "sealed north",
        litellmBaseUrl: h.litellm.url,
        litellmMasterKey: "sk-some-other-master",
      },
      admin,
    );
    const stored = await storedMasterKeyOf(created.id);
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain("sk-some-other-master");
    // Copied onto another region's row it does not open.
    expect(() => openMasterKey([parseSecretsKey(OLD_KEY)], h.region.id, stored)).toThrow();

    await h.mutationOk(
      "regions.update",
      { regionId: h.region.id, litellmMasterKey: fx.LITELLM_MASTER_KEY },
      admin,
    );
    expect(isSealed(await storedMasterKeyOf(h.region.id))).toBe(true);
  });

  it("a key is created on the proxy with the opened master key", async () => {
    const key = await h.mutationOk<Out<"keys.create">>(
      "keys.create",
      { teamId, regionId: h.region.id, name: "sealed-key" },
      admin,
    );
    expect(key.secret).toMatch(/^sk-/);
    expect(isSealed(await storedMasterKeyOf(h.region.id))).toBe(true);
  });
});

describe("start-up seals master keys still in clear", () => {
  it("seals them when there is a key", async () => {
    const region = await fx.insertRegion(h.db, {
      name: "clear east",
      url: h.litellm.url,
      masterKey: "sk-written-in-clear",
    });
    expect(await sealMasterKeysAtStart(h.db, loadConfig({ GATEHOUSE_SECRETS_KEY: OLD_KEY }))).toBe(
      1,
    );
    const stored = await storedMasterKeyOf(region.id);
    expect(isSealed(stored)).toBe(true);
    expect(openMasterKey([parseSecretsKey(OLD_KEY)], region.id, stored)).toBe(
      "sk-written-in-clear",
    );
  });

  it("a server start with master keys in clear and no secrets key refuses, in one line", async () => {
    const region = await fx.insertRegion(h.db, {
      name: "clear west",
      url: h.litellm.url,
      masterKey: "sk-still-in-clear",
    });
    try {
      const api = await runProcess("src/main.ts", [], { PORT: "0" });
      expect(api.code).toBe(1);
      // One line of its own, no stack trace (beside the logger's warning of the unset key).
      // stdout (the logger) and stderr (the refusal) interleave in any order: find the line.
      const plain = api.output
        .trim()
        .split("\n")
        .filter((line) => !line.startsWith("{"));
      expect(plain).toHaveLength(1);
      expect(plain[0]).toMatch(
        /^gatehouse: GATEHOUSE_SECRETS_KEY is unset and 1 region master key\(s\) are stored in clear/,
      );
      const worker = await runProcess("src/worker/main.ts", [], {});
      expect(worker.code).toBe(1);
      expect(worker.output).toMatch(/GATEHOUSE_SECRETS_KEY is unset and 1 region master key/);
      expect(await storedMasterKeyOf(region.id)).toBe("sk-still-in-clear");
    } finally {
      await h.db.prisma.region.delete({ where: { id: region.id } });
    }
  }, 60_000);
});

describe("GATEHOUSE_SECRETS_KEY can be rotated", () => {
  it("the previous key still opens, and reseal-secrets moves every secret to the new key", async () => {
    const oldKey = parseSecretsKey(OLD_KEY);
    const newKey = parseSecretsKey(NEW_KEY);
    // A key secret and a pending restore job's copy of it, sealed under the old key.
    const key = await h.db.prisma.apiKey.findFirstOrThrow({
      where: { secretSealed: { not: null } },
    });
    await h.db.prisma.job.create({
      data: {
        kind: "litellm.restoreKey",
        status: "FAILED",
        payload: {
          keyToken: key.litellmKeyId,
          secretSealed: key.secretSealed,
          teamId: "t",
          teamAlias: "a",
          keyAlias: "k",
          ownerUserId: "u",
          metadata: {},
        },
      },
    });
    // During the rotation: the new key seals, the old one still opens.
    const rotating = loadConfig({
      GATEHOUSE_SECRETS_KEY: NEW_KEY,
      GATEHOUSE_SECRETS_KEY_PREVIOUS: OLD_KEY,
    });
    expect(rotating.previousSecretsKeys).toEqual([oldKey]);
    expect(await sealMasterKeysAtStart(h.db, rotating)).toBe(0);
    await expect(
      sealMasterKeysAtStart(h.db, loadConfig({ GATEHOUSE_SECRETS_KEY: NEW_KEY })),
    ).rejects.toThrow(
      /open under neither GATEHOUSE_SECRETS_KEY nor GATEHOUSE_SECRETS_KEY_PREVIOUS/,
    );

    // An identity provider's client secret, sealed under the old key.
    const provider = await h.db.prisma.identityProvider.create({
      data: {
        issuer: "https://idp.rotation.test",
        clientId: "gatehouse",
        clientSecretSealed: "pending",
        domains: ["rotation.test"],
      },
    });
    await h.db.prisma.identityProvider.update({
      where: { id: provider.id },
      data: {
        clientSecretSealed: sealSecret(oldKey, "idp-client-secret", idpSecretBinding(provider.id)),
      },
    });

    const cli = await runProcess("src/cli/index.ts", ["reseal-secrets"], {
      GATEHOUSE_SECRETS_KEY: NEW_KEY,
      GATEHOUSE_SECRETS_KEY_PREVIOUS: OLD_KEY,
    });
    expect(cli.output).toMatch(
      /Re-sealed under GATEHOUSE_SECRETS_KEY: region master keys \d+, key secrets \d+, restore jobs 1/,
    );
    expect(cli.code).toBe(0);

    // Everything opens under the new key alone now, and nothing under the old one.
    for (const region of await h.db.prisma.region.findMany()) {
      expect(isSealed(region.litellmMasterKey)).toBe(true);
      expect(() => openMasterKey([newKey], region.id, region.litellmMasterKey)).not.toThrow();
      expect(() => openMasterKey([oldKey], region.id, region.litellmMasterKey)).toThrow();
    }
    const resealed = await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(openSecret(newKey, resealed.secretSealed!, key.litellmKeyId!)).toMatch(/^sk-/);
    const idp = await h.db.prisma.identityProvider.findUniqueOrThrow({
      where: { id: provider.id },
    });
    expect(openSecret(newKey, idp.clientSecretSealed, idpSecretBinding(provider.id))).toBe(
      "idp-client-secret",
    );
    const job = await h.db.prisma.job.findFirstOrThrow({ where: { kind: "litellm.restoreKey" } });
    const payload = job.payload as { secretSealed: string };
    expect(openSecret(newKey, payload.secretSealed, key.litellmKeyId!)).toMatch(/^sk-/);
    expect(await sealMasterKeysAtStart(h.db, loadConfig({ GATEHOUSE_SECRETS_KEY: NEW_KEY }))).toBe(
      0,
    );
    // A second run has nothing left to do.
    const again = await resealSecrets(h.db, loadConfig({ GATEHOUSE_SECRETS_KEY: NEW_KEY }));
    expect(again.resealed).toEqual({
      regionMasterKey: 0,
      keySecret: 0,
      restoreJobSecret: 0,
      idpClientSecret: 0,
      webhookSecret: 0,
      webhookPreviousSecret: 0,
    });
  }, 60_000);
});

describe("a rolling rotation: the new key is known everywhere before anything seals with it", () => {
  it("a process still on step 2's settings (old key seals, new key opens) drives a proxy whose master key a restarted one sealed under the new key", async () => {
    const notYetRestarted = await startHarness({
      litellm: true,
      env: { GATEHOUSE_SECRETS_KEY: OLD_KEY, GATEHOUSE_SECRETS_KEY_PREVIOUS: NEW_KEY },
    });
    try {
      const root = await fx.insertUserWithSession(notYetRestarted, {
        email: "root@rolling.example.com",
        isSystemAdmin: true,
      });
      const org = await fx.insertOrganization(notYetRestarted.db, "Rolling Org");
      const team = await fx.insertTeam(notYetRestarted.db, {
        name: "Rolling Team",
        organizationId: org,
      });
      // What regions.update on a process restarted in step 3 (GATEHOUSE_SECRETS_KEY=<new>) stores.
      const regionId = notYetRestarted.region.id;
      const sealedUnderNew = storedMasterKey(
        parseSecretsKey(NEW_KEY),
        regionId,
        fx.LITELLM_MASTER_KEY,
      );
      await notYetRestarted.db.prisma.region.update({
        where: { id: regionId },
        data: { litellmMasterKey: sealedUnderNew },
      });
      // A process that knew only the old key (the order this README once gave) could not open it.
      expect(() => openMasterKey([parseSecretsKey(OLD_KEY)], regionId, sealedUnderNew)).toThrow();

      const key = await callOk<Out<"keys.create">>(
        notYetRestarted.url,
        "mutation",
        "keys.create",
        { teamId: team, regionId, name: "rolling-key" },
        root.creds,
      );
      expect(notYetRestarted.litellm.state.getKey(key.secret)).toBeDefined();
      // Its worker too: blocking the key reaches the proxy.
      await callOk(
        notYetRestarted.url,
        "mutation",
        "keys.block",
        { keyId: key.key.id },
        root.creds,
      );
      await notYetRestarted.converge();
      expect(notYetRestarted.litellm.state.getKey(key.secret)?.blocked).toBe(true);
    } finally {
      await notYetRestarted.close();
    }
  }, 60_000);
});
