/**
 * Merges by outcome in the metrics: the merge call counted with its status (syncing), and
 * the worker reporting the merge settled (done) once its LiteLLM jobs ran, on the contract
 * server over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metrics } from "../../src/metrics.ts";
import type { RunningServer } from "../../src/server.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { callOk, type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

let h: SyncHarness;
let metrics: Metrics;
let api: RunningServer;
let admin: Credentials;

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  metrics = new Metrics(h.db, { defaultMetrics: false });
  // The harness's worker, restarted with the metrics hook; an API that counts into them.
  await h.stopWorker();
  h.startWorker({ onMergesSettled: (outcome, count) => metrics.mergesSettled(outcome, count) });
  api = await h.startServer({ metrics });
  admin = (
    await fx.insertUserWithSession(h, { email: "admin@merge-metrics.test", isSystemAdmin: true })
  ).creds;
});
afterAll(async () => {
  await h?.close();
});

describe("merge metrics", () => {
  it("count the merge as syncing, then settled as done by the worker", async () => {
    const orgId = await fx.insertOrganization(h.db, "Merge Metrics Org");
    const source = await fx.insertTeam(h.db, { name: "Metrics Source", organizationId: orgId });
    const target = await fx.insertTeam(h.db, { name: "Metrics Target", organizationId: orgId });
    const member = await fx.insertUserWithSession(h, { email: "member@merge-metrics.test" });
    await fx.addTeamMember(h.db, source, member.id, "ADMIN");
    await callOk(
      api.url,
      "mutation",
      "keys.create",
      { teamId: source, name: "to-move", regionId: h.region.id },
      admin,
    );
    await h.drain();

    const merged = await callOk<Out<"teams.merge">>(
      api.url,
      "mutation",
      "teams.merge",
      { sourceTeamId: source, targetTeamId: target, strategy: "rename" },
      admin,
    );
    expect(merged.status).toBe("SYNCING");
    await h.drain();

    const text = (await metrics.render()).body;
    expect(text).toMatch(/^gatehouse_merges_total\{outcome="syncing"\} 1$/m);
    expect(text).toMatch(/^gatehouse_merges_settled_total\{outcome="done"\} 1$/m);
    expect(text).toMatch(
      /^gatehouse_litellm_request_duration_seconds_count\{region="eu west",endpoint="POST \/key\/generate",outcome="ok"\} 1$/m,
    );
  });
});
