/**
 * The rate-limit table keeps a row for every address and email ever tried; the worker's
 * expiry sweep deletes the rows whose windows and known places ended, and only those.
 */
import { KNOWN_PLACE_MS } from "@gatehouse/core";
import { hitRateLimit, rememberPlaces } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, sweepOnDemand, type SyncHarness } from "../support/harness.ts";

const DAY = 24 * 60 * 60_000;
let h: SyncHarness;
let now = new Date();

beforeAll(async () => {
  h = await startHarness({
    litellm: {
      worker: sweepOnDemand(() => now, { extraGraceDays: 0, rateLimitRetentionMs: KNOWN_PLACE_MS }),
    },
  });
});
afterAll(() => h.close());

describe("rate-limit retention", () => {
  it("the expiry sweep prunes rows older than the retention and keeps the rest", async () => {
    now = new Date();
    const old = new Date(now.getTime() - KNOWN_PLACE_MS - DAY);
    const recent = new Date(now.getTime() - KNOWN_PLACE_MS + DAY);
    await hitRateLimit(h.db, "login:address:192.0.2.1", 15 * 60_000, old);
    await rememberPlaces(h.db, ["login:known-address:old@example.test:192.0.2.1"], old);
    await rememberPlaces(h.db, ["login:known-address:kept@example.test:192.0.2.2"], recent);
    await hitRateLimit(h.db, "login:address:192.0.2.3", 15 * 60_000, now);

    await h.worker.enforceDue();

    const { rows } = await h.db.pool.query<{ key: string }>(
      `SELECT key FROM rate_limit_buckets ORDER BY key`,
    );
    expect(rows.map((r) => r.key)).toEqual([
      "login:address:192.0.2.3",
      "login:known-address:kept@example.test:192.0.2.2",
    ]);
  });
});
