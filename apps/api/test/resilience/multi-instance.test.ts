/**
 * Several instances at once, as the README's "Scaling out" runs them: two API processes
 * (`src/main.ts` with GATEHOUSE_WORKER=off) and two standalone worker processes
 * (`src/worker/main.ts`) on one PostgreSQL, with a LiteLLM contract server counting calls:
 * - a session made by logging in on instance A works on instance B, and a logout on B ends
 *   it on A;
 * - merges submitted through either instance run once: every job exactly once (each
 *   LiteLLM call counted on the contract server), and the audit log holds every event
 *   exactly once; the same merge sent to both instances at the same time runs once;
 * - identical mutations racing on both instances (same organization name, same user
 *   email, same team member) give one success and one CONFLICT, and one row.
 *
 * Real PostgreSQL only: PGlite is one embedded single-connection server, not a shared
 * database several processes scale out on (and its socket server mixes up concurrent
 * connections, see test/http/security.test.ts).
 */
import {
  startContractServer,
  type ContractServer,
  type RequestLogEntry,
} from "@gatehouse/litellm/contract-server";
import { createTestDatabase, testBackend, type TestDatabase } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { hashToken, newOpaqueToken, SESSION_TOKEN_PREFIX } from "../../src/auth/tokens.ts";
import { type Out } from "../support/http.ts";
import { LITELLM_MASTER_KEY } from "../support/fixtures.ts";
import {
  startApiProcess,
  startWorkerProcess,
  stopAll,
  type ApiProcess,
} from "../support/processes.ts";

const onServer = testBackend() === "postgres";
if (!onServer)
  console.log(
    "[multi-instance] skipped on PGlite: several processes need a shared PostgreSQL server",
  );

const PASSWORD = "multi instance password";

let db: TestDatabase;
let litellm: ContractServer;
let a: ApiProcess;
let b: ApiProcess;
let adminCookie: string;
let regionId: string;
let regionName: string;

describe.skipIf(!onServer)("two API instances and two workers on one PostgreSQL", () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    litellm = await startContractServer({ masterKey: LITELLM_MASTER_KEY, port: 0 });
    const region = await db.prisma.region.create({
      data: {
        name: "multi region",
        litellmBaseUrl: litellm.url,
        litellmMasterKey: LITELLM_MASTER_KEY,
      },
    });
    regionId = region.id;
    regionName = region.name;
    const admin = await db.prisma.user.create({
      data: {
        email: "admin@multi.example.com",
        name: "Admin",
        passwordHash: await hashPassword(PASSWORD),
        isSystemAdmin: true,
      },
    });
    adminCookie = await sessionFor(admin.id);
    const env = { DATABASE_URL: db.url, GATEHOUSE_WORKER: "off", GATEHOUSE_LOG_LEVEL: "warn" };
    const workerEnv = {
      DATABASE_URL: db.url,
      GATEHOUSE_WORKER_POLL_MS: "100",
      GATEHOUSE_LOG_LEVEL: "info",
    };
    [a, b] = await Promise.all([
      startApiProcess("api A", env),
      startApiProcess("api B", env),
      startWorkerProcess("worker 1", workerEnv),
      startWorkerProcess("worker 2", workerEnv),
    ]);
  }, 120_000);
  afterAll(async () => {
    await stopAll();
    await litellm?.stop();
    await db?.close();
  });

  it("a session made on A works on B, and a logout on B ends it on A", async () => {
    const login = await fetch(`${a.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-gatehouse-csrf": "1" },
      body: JSON.stringify({ email: "admin@multi.example.com", password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("gh_session="))!
      .split(";")[0]!;
    const onA = await trpc(a, "query", "auth.me", undefined, cookie);
    const onB = await trpc(b, "query", "auth.me", undefined, cookie);
    expect(onB.status).toBe(200);
    expect(onB.data).toEqual(onA.data);

    expect((await trpc(b, "mutation", "auth.logout", undefined, cookie)).status).toBe(200);
    expect((await trpc(a, "query", "auth.me", undefined, cookie)).status).toBe(401);
  });

  it("merges submitted through either instance run once: each job once on LiteLLM, each audit event once", async () => {
    const merges = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const via = i % 2 === 0 ? a : b;
        const source = await db.prisma.team.create({ data: { name: `source ${i}` } });
        const target = await db.prisma.team.create({ data: { name: `target ${i}` } });
        const keys = [];
        for (const name of ["k1", "k2", "k3"]) {
          const created = await trpc<Out<"keys.create">>(
            via,
            "mutation",
            "keys.create",
            { teamId: source.id, name, regionId },
            adminCookie,
          );
          expect(created.status).toBe(200);
          keys.push(created.data.key.id);
        }
        return { via, source, target, keys };
      }),
    );
    const since = lastSeq();
    const submitted = await Promise.all(
      merges.map(async (m) => {
        const res = await trpc<Out<"teams.merge">>(
          m.via,
          "mutation",
          "teams.merge",
          { sourceTeamId: m.source.id, targetTeamId: m.target.id, strategy: "cancel" },
          adminCookie,
        );
        expect(res.status).toBe(200);
        return { ...m, mergeId: res.data.mergeId, jobs: res.data.jobs };
      }),
    );
    // Poll the status through the other instance.
    for (const m of submitted) {
      const other = m.via === a ? b : a;
      await waitFor(
        `merge ${m.mergeId}`,
        async () =>
          (
            await trpc<Out<"teams.mergeStatus">>(
              other,
              "query",
              "teams.mergeStatus",
              { mergeId: m.mergeId },
              adminCookie,
            )
          ).data?.status === "DONE",
      );
    }

    const calls = litellm.state.requestsSince(since);
    const jobs = await db.prisma.job.findMany({
      where: { mergeId: { in: submitted.map((m) => m.mergeId) } },
    });
    expect(jobs.length).toBe(submitted.reduce((n, m) => n + m.jobs, 0));
    expect(
      jobs.every((j) => j.status === "DONE" && j.attempts === 1),
      JSON.stringify(jobs.filter((j) => j.attempts !== 1)),
    ).toBe(true);
    for (const m of submitted) {
      const team = `${regionName.replace(/ /g, "_")}_${m.target.id}`;
      expect(
        calls.filter((c) => c.path === "/team/new" && bodyOf(c).team_id === team),
      ).toHaveLength(1);
      expect(
        calls.filter((c) => c.path === "/team/member_add" && bodyOf(c).team_id === team),
      ).toHaveLength(1);
      const rows = await db.prisma.apiKey.findMany({ where: { id: { in: m.keys } } });
      for (const row of rows) {
        expect(
          calls.filter((c) => c.path === "/key/update" && bodyOf(c).key === row.litellmKeyId),
          row.name,
        ).toHaveLength(1);
      }
    }
    expect(
      calls.every((c) => c.status === 200),
      JSON.stringify(calls.filter((c) => c.status !== 200)),
    ).toBe(true);

    // The audit log: each key creation and each merge exactly once, and nothing twice.
    const events = await db.prisma.auditEvent.findMany({
      where: { action: { in: ["key.create", "team.merge"] } },
    });
    const keyIds = submitted.flatMap((m) => m.keys);
    expect(
      events
        .filter((e) => e.action === "key.create")
        .map((e) => e.targetId)
        .sort(),
    ).toEqual([...keyIds].sort());
    expect(
      events
        .filter((e) => e.action === "team.merge")
        .map((e) => e.targetId)
        .sort(),
    ).toEqual(submitted.map((m) => m.target.id).sort());
    const { rows: duplicates } = await db.pool.query(
      `SELECT action, target_id, request_id, count(*) FROM audit_events GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
  });

  it("the same merge sent to both instances at once runs once", async () => {
    const source = await db.prisma.team.create({ data: { name: "raced source" } });
    const target = await db.prisma.team.create({ data: { name: "raced target" } });
    const key = await trpc<Out<"keys.create">>(
      a,
      "mutation",
      "keys.create",
      { teamId: source.id, name: "raced", regionId },
      adminCookie,
    );
    expect(key.status).toBe(200);
    const input = { sourceTeamId: source.id, targetTeamId: target.id, strategy: "cancel" };
    const results = await Promise.all(
      [a, b].map((api) =>
        trpc<Out<"teams.merge">>(api, "mutation", "teams.merge", input, adminCookie),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);
    expect(await db.prisma.teamMerge.count({ where: { sourceTeamId: source.id } })).toBe(1);
    expect(
      await db.prisma.auditEvent.count({ where: { action: "team.merge", targetId: target.id } }),
    ).toBe(1);
  });

  describe("identical mutations racing on both instances", () => {
    /** Sends the same call to A and B at the same moment, `rounds` times. */
    async function race(
      rounds: number,
      make: (round: number) => { path: string; input: unknown },
    ): Promise<Array<[number, number]>> {
      const outcomes: Array<[number, number]> = [];
      for (let round = 0; round < rounds; round++) {
        const { path, input } = make(round);
        const [x, y] = await Promise.all(
          [a, b].map((api) => trpc(api, "mutation", path, input, adminCookie)),
        );
        outcomes.push([x!.status, y!.status].sort() as [number, number]);
        for (const r of [x!, y!]) if (r.status === 409) expect(r.code).toBe("CONFLICT");
      }
      return outcomes;
    }

    it("creating the same organization: one success, one CONFLICT, one row", async () => {
      const outcomes = await race(8, (round) => ({
        path: "orgs.create",
        input: { name: `Raced Org ${round}` },
      }));
      expect(outcomes).toEqual(outcomes.map(() => [200, 409]));
      for (let round = 0; round < 8; round++) {
        expect(await db.prisma.organization.count({ where: { name: `Raced Org ${round}` } })).toBe(
          1,
        );
        expect(
          await db.prisma.auditEvent.count({
            where: {
              action: "org.create",
              details: { path: ["name"], equals: `Raced Org ${round}` },
            },
          }),
        ).toBe(1);
      }
    });

    it("creating the same user: one success, one CONFLICT", async () => {
      const outcomes = await race(4, (round) => ({
        path: "users.create",
        input: {
          email: `raced${round}@multi.example.com`,
          name: "Raced",
          password: "raced user password",
        },
      }));
      expect(outcomes).toEqual(outcomes.map(() => [200, 409]));
      expect(await db.prisma.user.count({ where: { email: { startsWith: "raced" } } })).toBe(4);
    });

    it("adding the same team member: one success, one CONFLICT", async () => {
      const team = await db.prisma.team.create({ data: { name: "raced members" } });
      const users = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          db.prisma.user.create({
            data: { email: `member${i}@multi.example.com`, name: "M", passwordHash: "x" },
          }),
        ),
      );
      const outcomes = await race(4, (round) => ({
        path: "teams.addMember",
        input: { teamId: team.id, userId: users[round]!.id, role: "MEMBER" },
      }));
      expect(outcomes).toEqual(outcomes.map(() => [200, 409]));
      expect(await db.prisma.teamMember.count({ where: { teamId: team.id } })).toBe(4);
      expect(
        await db.prisma.auditEvent.count({
          where: { action: "team.member.add", targetId: team.id },
        }),
      ).toBe(4);
    });
  });
});

async function sessionFor(userId: string): Promise<string> {
  const token = newOpaqueToken(SESSION_TOKEN_PREFIX);
  const in1h = new Date(Date.now() + 3_600_000);
  await db.prisma.session.create({
    data: { tokenHash: hashToken(token), userId, idleExpiresAt: in1h, absoluteExpiresAt: in1h },
  });
  return `gh_session=${token}`;
}

interface TrpcResult<T> {
  status: number;
  data: T;
  code: string | null;
}

async function trpc<T = unknown>(
  api: ApiProcess,
  type: "query" | "mutation",
  path: string,
  input: unknown,
  cookie: string,
): Promise<TrpcResult<T>> {
  const headers = { cookie, "x-gatehouse-csrf": "1", "content-type": "application/json" };
  const res =
    type === "query"
      ? await fetch(
          `${api.url}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers },
        )
      : await fetch(`${api.url}/trpc/${path}`, {
          method: "POST",
          headers,
          ...(input === undefined ? {} : { body: JSON.stringify(input) }),
        });
  const body = (await res.json()) as { result?: { data: T }; error?: { data?: { code?: string } } };
  return { status: res.status, data: body.result?.data as T, code: body.error?.data?.code ?? null };
}

const lastSeq = (): number => litellm.state.requestsSince(0).at(-1)?.seq ?? 0;
/** The LiteLLM fields the assertions look at, from a logged request's JSON body. */
const bodyOf = (entry: RequestLogEntry): { team_id?: string; key?: string } => {
  const body = entry.body;
  if (typeof body !== "object" || body === null) return {};
  const { team_id: teamId, key } = body as Record<string, unknown>;
  return {
    ...(typeof teamId === "string" ? { team_id: teamId } : {}),
    ...(typeof key === "string" ? { key } : {}),
  };
};

async function waitFor(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
