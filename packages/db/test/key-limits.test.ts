/**
 * The expiry of keys in the database: the sweep blocks (`key_expired`) exactly the keys past
 * their expiry, once, with one block push each; keys without an expiry are never touched;
 * a new future expiry lifts the block. PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepExpiredKeys, writeKeyLimits } from "../src/keys/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let teamId: string;
let regionId: string;
const now = new Date("2026-06-01T00:00:00Z");
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDatabase();
  regionId = (
    await db.prisma.region.create({
      data: { name: "r", litellmBaseUrl: "http://x", litellmMasterKey: "k" },
    })
  ).id;
  teamId = (await db.prisma.team.create({ data: { name: "t" } })).id;
});
afterAll(() => db?.close());

async function key(name: string, expiresAt: Date | null): Promise<string> {
  const row = await db.prisma.apiKey.create({
    data: { name, teamId, regionId, keyPrefix: "sk-", litellmKeyId: `tok-${name}`, expiresAt },
  });
  return row.id;
}

const reasons = async (keyId: string) =>
  (await db.prisma.apiKeyBlock.findMany({ where: { apiKeyId: keyId } })).map((b) => b.reason);
const pushes = async (keyId: string) =>
  db.prisma.job.count({ where: { apiKeyId: keyId, kind: "litellm.syncKeyBlock" } });

describe("key expiry", () => {
  it("blocks the keys past their expiry once, each with its push; others untouched", async () => {
    const past = await key("past", new Date(now.getTime() - DAY));
    const future = await key("future", new Date(now.getTime() + DAY));
    const never = await key("never", null);
    expect(await sweepExpiredKeys(db, now)).toBe(1);
    expect(await sweepExpiredKeys(db, now)).toBe(0);
    expect(await reasons(past)).toEqual(["key_expired"]);
    expect(await pushes(past)).toBe(1);
    expect(await reasons(future)).toEqual([]);
    expect(await reasons(never)).toEqual([]);
    expect(await pushes(future)).toBe(0);

    const lifted = await db.prisma.$transaction((tx) =>
      writeKeyLimits(tx, { keyId: past, expiresAt: new Date(now.getTime() + 30 * DAY), now }),
    );
    expect(lifted).toEqual({ liftedExpired: true });
    expect(await reasons(past)).toEqual([]);
    expect(await sweepExpiredKeys(db, now)).toBe(0);
  });
});
