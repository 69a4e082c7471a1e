/**
 * Prometheus metrics in-process, on both backends: never open by default (404 without
 * GATEHOUSE_METRICS_TOKEN, 401 with a wrong token), served without a token on the separate
 * listener (GATEHOUSE_METRICS_ADDRESS), and the counters and scrape-time gauges that the
 * compiled-build test does not move: rate-limit hits, merges by outcome, the job queue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsServer, type MetricsServer } from "../../src/http/metrics-server.ts";
import { Metrics } from "../../src/metrics.ts";
import type { RunningServer } from "../../src/server.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { call } from "../support/http.ts";
import { insertServiceToken, insertTeam, insertUser } from "../support/fixtures.ts";

const TOKEN = "a-metrics-token-of-enough-length";

let h: Harness;
let plain: RunningServer;
let listener: MetricsServer;
let metrics: Metrics;

beforeAll(async () => {
  h = await startHarness({
    env: { GATEHOUSE_METRICS_TOKEN: TOKEN, GATEHOUSE_LOGIN_MAX_PER_ACCOUNT: "2" },
  });
  // The same database behind an app without a token, and a dedicated listener.
  metrics = new Metrics(h.db, { defaultMetrics: false });
  plain = await h.startServer({
    config: { ...h.config, metrics: { token: undefined, address: undefined } },
    metrics,
  });
  listener = await startMetricsServer(metrics, { host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await listener?.stop();
  await h?.close();
});

const scrape = async (url: string, token?: string) => {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, text: await res.text() };
};

describe("/metrics access", () => {
  it("does not exist without a token configured; needs the right bearer token when one is", async () => {
    expect((await scrape(`${plain.url}/metrics`)).status).toBe(404);
    expect((await scrape(`${plain.url}/metrics`, TOKEN)).status).toBe(404);
    expect((await scrape(`${h.url}/metrics`)).status).toBe(401);
    expect((await scrape(`${h.url}/metrics`, `${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`${h.url}/metrics`, TOKEN)).status).toBe(200);
  });

  it("is served without a token on the separate listener, and nothing else there", async () => {
    expect((await call(plain.url, "query", "auth.me", undefined)).status).toBe(401);
    const res = await scrape(listener.url);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /^gatehouse_trpc_request_duration_seconds_count\{procedure="auth.me",type="query",status_class="4xx"\} 1$/m,
    );
    expect((await fetch(listener.url.replace("/metrics", "/trpc/auth.me"))).status).toBe(404);
  });
});

describe("what is counted", () => {
  it("rate-limit hits and login failures by reason, merges by outcome, the job queue", async () => {
    await insertUser(h.db, { email: "limited@metrics.example.com" });
    for (let i = 0; i < 3; i++) {
      await h.mutation("auth.login", {
        email: "limited@metrics.example.com",
        password: "wrong password here",
      });
    }
    const bearer = await insertServiceToken(h.db, { admin: true });
    const team = await insertTeam(h.db, { name: "Metrics Team", organizationId: null });
    const refused = await h.mutation(
      "teams.merge",
      { sourceTeamId: team, targetTeamId: team, strategy: "delete" },
      { credentials: { bearer } },
    );
    expect(refused.status).toBe(400);
    await h.db.pool.query(
      `INSERT INTO jobs (kind, payload, run_at) VALUES ('litellm.moveKey', '{}', now() - interval '90 seconds')`,
    );

    const { text } = await scrape(`${h.url}/metrics`, TOKEN);
    expect(text).toMatch(/^gatehouse_rate_limit_hits_total\{procedure="auth.login"\} [1-9]/m);
    expect(text).toMatch(/^gatehouse_login_failures_total\{reason="bad_credentials"\} 2$/m);
    expect(text).toMatch(/^gatehouse_login_failures_total\{reason="rate_limited"\} 1$/m);
    expect(text).toMatch(/^gatehouse_merges_total\{outcome="bad_request"\} 1$/m);
    expect(text).toMatch(
      /^gatehouse_trpc_errors_total\{procedure="teams.merge",code="BAD_REQUEST"\} 1$/m,
    );
    expect(text).toMatch(/^gatehouse_jobs\{state="pending",kind="litellm.moveKey"\} 1$/m);
    const age = /^gatehouse_jobs_oldest_pending_age_seconds (\S+)$/m.exec(text);
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(90);
  });
});
