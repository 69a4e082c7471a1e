/**
 * Bad input everywhere: a property-based test over EVERY procedure of the app router, with
 * inputs derived from each procedure's own zod schemas (support/inputs.ts) and then broken
 * (wrong types, 100k-character strings, unicode/RTL/NUL, edge numbers, missing and extra
 * fields, junk cursors, SQL and script payloads, and wire-level faults), sent over real
 * HTTP as every kind of caller. It proves, for every case:
 * - the answer is never a 5xx (nor a hang): a 2xx for queries, else a 4xx;
 * - every error is JSON with `data.requestId` equal to the X-Request-Id header;
 * - every BAD_REQUEST names the offending field (`data.fieldErrors` non-empty);
 * - a mutation given invalid input answers 4xx (only invalid inputs are sent to mutations),
 *   and the database is unchanged: every table is fingerprinted (sessions and rate-limit
 *   counters excepted, they change on every call by design) before, every few hundred
 *   cases, and after.
 *
 * Replay a failure with the seed it prints: GATEHOUSE_FUZZ_SEED=<seed> (and optionally
 * GATEHOUSE_FUZZ_CASES=<n>). The default is 10,000 cases per run.
 *
 * One backend per run: the PostgreSQL server when the suite has one (GATEHOUSE_TEST_PG_URL),
 * else PGlite. Both would double the suite's longest file (10,000 HTTP calls take about a
 * minute on PGlite alone, several when the rest of the suite shares the two cores) without
 * finding more: what is checked here is the API's answers, not the database engine's.
 */
import { testBackend } from "@gatehouse/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hashToken } from "../../src/auth/tokens.ts";
import { CSRF_HEADER } from "../../src/http/csrf.ts";
import { appRouter } from "../../src/routers/index.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { insertServiceToken, insertSession, insertUser } from "../support/fixtures.ts";
import { diffSnapshots, snapshotDatabase, type Snapshot } from "../support/db-snapshot.ts";
import {
  acceptsInput,
  applyMutation,
  describeProcedures,
  mutationArbitrary,
  validArbitrary,
  wireForm,
  type FixtureValues,
  type Mutation,
  type ProcedureInfo,
} from "../support/inputs.ts";

const CASES = Number(process.env.GATEHOUSE_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.GATEHOUSE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Requests in flight at once: each property run sends this many independent cases. */
const PARALLEL = 4;
/** Fingerprint the database every this many cases, to name a window if it ever changes. */
const CHECKPOINT_EVERY = 500;
/** No single request may take longer than this (a hang is a failure, not a slow test). */
const REQUEST_DEADLINE_MS = 15_000;
/** See the header: the server when the run has one, else PGlite. */
const runsHere = testBackend() === "postgres" || !process.env.GATEHOUSE_TEST_PG_URL;
if (!runsHere)
  console.log(
    "[fuzz] skipped on PGlite: this run has a PostgreSQL server, where the fuzz runs instead",
  );

type Role = "anonymous" | "member" | "orgAdmin" | "systemAdmin" | "adminToken";
const roles: readonly Role[] = ["anonymous", "member", "orgAdmin", "systemAdmin", "adminToken"];
type Transport =
  "normal" | "batch" | "wrong-method" | "malformed-json" | "text-plain" | "unknown-path";

interface Case {
  procedure: ProcedureInfo;
  role: Role;
  input: unknown;
  mutation: Mutation;
  transport: Transport;
}

let h: Harness;
const credentials = new Map<Role, Record<string, string>>();
let fixtures: FixtureValues;

beforeAll(async () => {
  if (!runsHere) return;
  h = await startHarness({ serialPglite: true });
  const p = h.db.prisma;
  const orgA = await p.organization.create({ data: { name: "Fuzz Org A" } });
  const orgB = await p.organization.create({ data: { name: "Fuzz Org B" } });
  const adminId = await insertUser(h.db, { email: "admin@fuzz.example.com", isSystemAdmin: true });
  const orgAdminId = await insertUser(h.db, { email: "orgadmin@fuzz.example.com" });
  const memberId = await insertUser(h.db, { email: "member@fuzz.example.com" });
  const otherId = await insertUser(h.db, { email: "other@fuzz.example.com" });
  await p.organizationMember.createMany({
    data: [
      { organizationId: orgA.id, userId: orgAdminId, role: "ORG_ADMIN" },
      { organizationId: orgA.id, userId: memberId, role: "MEMBER" },
    ],
  });
  const teamA1 = await p.team.create({ data: { name: "alpha one", organizationId: orgA.id } });
  const teamA2 = await p.team.create({ data: { name: "alpha two", organizationId: orgA.id } });
  const teamB1 = await p.team.create({ data: { name: "beta one", organizationId: orgB.id } });
  const loose = await p.team.create({ data: { name: "loose", organizationId: null } });
  await p.teamMember.createMany({
    data: [
      { teamId: teamA1.id, userId: memberId, role: "ADMIN" },
      { teamId: teamA2.id, userId: memberId, role: "KEY_CREATOR" },
      { teamId: teamB1.id, userId: otherId, role: "MEMBER" },
    ],
  });
  // A proxy nobody listens on: no valid key mutation is ever sent, and queries never call it.
  const region = await p.region.create({
    data: {
      name: "fuzz region",
      litellmBaseUrl: "http://127.0.0.1:1",
      litellmMasterKey: "sk-fuzz-master-key",
    },
  });
  const keys = await Promise.all(
    [teamA1.id, teamA2.id].map((teamId) =>
      p.apiKey.create({
        data: {
          name: "shared",
          teamId,
          regionId: region.id,
          creatorId: memberId,
          keyPrefix: "sk-fuzz…",
        },
      }),
    ),
  );
  const product = await p.product.create({
    data: {
      name: "Fuzz Pro",
      limits: {
        maxKeys: 3,
        maxBudgetUsd: 12.5,
        budgetDuration: "30d",
        rpmLimit: 60,
        tpmLimit: null,
        models: ["fuzz-model"],
      },
    },
  });
  await p.teamProduct.create({ data: { teamId: teamB1.id, productId: product.id } });
  // Blocks, so teams.get/list and keys.list render every reason; the block and
  // unblock procedures get these ids from the fixtures like any other.
  await p.teamBlock.createMany({
    data: [
      { teamId: teamA2.id, reason: "manual", note: "fuzz" },
      { teamId: teamA2.id, reason: "expired" },
    ],
  });
  await p.apiKeyBlock.createMany({
    data: [
      { apiKeyId: keys[1]!.id, reason: "manual" },
      { apiKeyId: keys[1]!.id, reason: "owner_disabled" },
      // A key whose creator left its team: keys.transfer's usual object.
      { apiKeyId: keys[0]!.id, reason: "owner_left" },
    ],
  });
  const merge = await p.teamMerge.create({
    data: {
      sourceTeamId: loose.id,
      targetTeamId: teamA1.id,
      strategy: "rename",
      snapshot: {},
      status: "DONE",
    },
  });
  await p.auditEvent.create({
    data: {
      action: "fuzz.seed",
      targetType: "team",
      targetId: teamA1.id,
      organizationId: orgA.id,
      actorUserId: adminId,
    },
  });

  const cookie = async (userId: string) => ({
    cookie: `gh_session=${await insertSession(h, userId)}`,
  });
  credentials.set("anonymous", {});
  credentials.set("member", await cookie(memberId));
  credentials.set("orgAdmin", await cookie(orgAdminId));
  credentials.set("systemAdmin", await cookie(adminId));
  const bearer = await insertServiceToken(h.db, { admin: true });
  credentials.set("adminToken", { authorization: `Bearer ${bearer}` });

  const sessions = await p.session.findMany({ select: { id: true } });
  // A mail in the outbox, so outbox.get is fuzzed with an id it finds too.
  const mail = await p.mail.create({
    data: {
      purpose: "test",
      toAddress: "member@fuzz.example.com",
      subject: "Fuzz",
      textBody: "t",
      htmlBody: "<p>h</p>",
    },
    select: { id: true },
  });
  const tokenRow = await p.serviceToken.findUniqueOrThrow({
    where: { tokenHash: hashToken(bearer) },
    select: { id: true },
  });
  fixtures = {
    ids: [
      orgA.id,
      orgB.id,
      adminId,
      orgAdminId,
      memberId,
      otherId,
      teamA1.id,
      teamA2.id,
      teamB1.id,
      loose.id,
      region.id,
      product.id,
      merge.id,
      tokenRow.id,
      mail.id,
      ...keys.map((k) => k.id),
      ...sessions.map((s) => s.id),
    ],
    emails: [
      "admin@fuzz.example.com",
      "member@fuzz.example.com",
      "ADMIN@FUZZ.EXAMPLE.COM",
      "new@fuzz.example.com",
    ],
  };
}, 120_000);
afterAll(() => h?.close());

interface Answer {
  status: number;
  requestIdHeader: string | null;
  body: string;
}

let requestCounter = 0;
/** Case descriptions by the request id the server answered with (audit rows carry it). */
const sentCases = new Map<string, string>();

async function send(c: Case): Promise<Answer> {
  // A client's X-Request-Id is never the server's (http/request-ids.test.ts): the audit events a
  // case writes carry the id the server answered with, recorded below.
  const requestId = `fuzz-${String(++requestCounter).padStart(8, "0")}`;
  const headers: Record<string, string> = { ...credentials.get(c.role), "x-request-id": requestId };
  const wire = wireForm(c.input);
  const json = wire === undefined ? undefined : JSON.stringify(wire);
  let path = c.procedure.path;
  let method: "GET" | "POST" = c.procedure.type === "query" ? "GET" : "POST";
  let query = "";
  let body: string | undefined;
  if (c.transport === "wrong-method") method = method === "GET" ? "POST" : "GET";
  if (c.transport === "unknown-path") path = `${path}Nope`;
  if (c.transport === "batch") {
    query = "?batch=1";
    if (method === "GET")
      query += `&input=${encodeURIComponent(JSON.stringify({ 0: wire ?? null }))}`;
    else body = JSON.stringify({ 0: wire ?? null });
  } else if (c.transport === "malformed-json") {
    if (method === "GET") query = `?input=${encodeURIComponent(`${json ?? "{"}{`)}`;
    else body = `${json ?? "{"}{`;
  } else if (method === "GET") {
    query = json === undefined ? "" : `?input=${encodeURIComponent(json)}`;
  } else {
    body = json;
  }
  if (method === "POST") {
    headers[CSRF_HEADER] = "1";
    headers["content-type"] = c.transport === "text-plain" ? "text/plain" : "application/json";
  }
  const response = await fetch(`${h.url}/trpc/${path}${query}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
  });
  const requestIdHeader = response.headers.get("x-request-id");
  if (requestIdHeader) sentCases.set(requestIdHeader, describeCase(c));
  return { status: response.status, requestIdHeader, body: await response.text() };
}

interface ErrorShape {
  error?: {
    data?: { code?: string; requestId?: unknown; fieldErrors?: Record<string, string[]> | null };
  };
}

/**
 * Bugs found by this test whose fix lies outside the files of this suite, each with a
 * deterministic test in the suite of the feature it breaks (`it.fails` until fixed). A matching
 * 5xx is counted and printed, not failed; anything else is a failure. Remove the entry
 * with the fix.
 */
const knownBugs: ReadonlyArray<{ id: string; matches(c: Case, answer: Answer): boolean }> = [];

const knownBugHits = new Map<string, number>();

/** The protocol-level verdict on one answer; returns a list of broken promises. */
function problemsWith(c: Case, answer: Answer): string[] {
  const known = knownBugs.find((bug) => bug.matches(c, answer));
  if (known) {
    knownBugHits.set(known.id, (knownBugHits.get(known.id) ?? 0) + 1);
    return [];
  }
  const problems: string[] = [];
  const { status } = answer;
  if (status >= 500 || status < 200) problems.push(`status ${status}`);
  if (!answer.requestIdHeader) problems.push("no X-Request-Id header");
  const mustFail =
    c.procedure.type === "mutation" &&
    (c.transport === "normal" ||
      c.transport === "batch" ||
      (c.transport === "malformed-json" && !c.procedure.schema));
  if (mustFail && status < 400) problems.push(`mutation with invalid input answered ${status}`);
  if (status < 400) return problems;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return [...problems, `error body is not JSON: ${answer.body.slice(0, 120)}`];
  }
  // A batch answers one envelope per call.
  const envelopes = (Array.isArray(parsed) ? parsed : [parsed]) as ErrorShape[];
  for (const envelope of envelopes) {
    const data = envelope.error?.data;
    if (!data) {
      problems.push(`error body without error.data: ${answer.body.slice(0, 120)}`);
      continue;
    }
    if (typeof data.requestId !== "string" || data.requestId !== answer.requestIdHeader) {
      problems.push(
        `data.requestId ${String(data.requestId)} does not match X-Request-Id ${answer.requestIdHeader}`,
      );
    }
    if (data.code === "BAD_REQUEST" && Object.keys(data.fieldErrors ?? {}).length === 0) {
      problems.push(`BAD_REQUEST without fieldErrors: ${answer.body.slice(0, 200)}`);
    }
  }
  return problems;
}

/** Every mutation writes an audit event with its request id: name the cases that did. */
async function culprits(diff: Record<string, unknown>): Promise<string> {
  if (!("audit_events" in diff)) return "";
  const { rows } = await h.db.pool.query<{ action: string; request_id: string | null }>(
    `SELECT action, request_id FROM audit_events WHERE request_id LIKE 'fuzz-%' ORDER BY created_at DESC, id DESC LIMIT 10`,
  );
  return rows
    .map(
      (r) =>
        `audit ${r.action} by ${r.request_id}: ${sentCases.get(r.request_id ?? "") ?? "(earlier window)"}\n  `,
    )
    .join("");
}

const describeCase = (c: Case): string => {
  const text = JSON.stringify(wireForm(c.input)) ?? "undefined";
  return `${c.role} ${c.transport} ${c.procedure.type} ${c.procedure.path} mutation=${c.mutation.kind} input=${text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text}`;
};

it.runIf(runsHere)(
  `answers ${CASES} broken inputs to every procedure, as every caller, with a clean 4xx and changes nothing`,
  { timeout: 900_000 },
  async () => {
    const procedures = describeProcedures(appRouter);
    expect(procedures.length).toBeGreaterThan(30);

    const transport = fc.oneof(
      { weight: 24, arbitrary: fc.constant<Transport>("normal") },
      { weight: 2, arbitrary: fc.constant<Transport>("batch") },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Transport>(
          "wrong-method",
          "malformed-json",
          "text-plain",
          "unknown-path",
        ),
      },
    );
    const caseArbitrary: fc.Arbitrary<Case> = fc.constantFrom(...procedures).chain((procedure) =>
      fc
        .record({
          procedure: fc.constant(procedure),
          role: fc.constantFrom(...roles),
          base: procedure.schema
            ? validArbitrary(procedure.schema, fixtures)
            : fc.constant(undefined),
          mutation: mutationArbitrary(procedure.schema),
          transport,
        })
        .map(({ base, ...rest }): Case => ({ ...rest, input: applyMutation(base, rest.mutation) }))
        .map((c): Case | null => {
          // A procedure without input never reads the body, so a malformed one still runs it.
          const executes =
            c.transport === "normal" ||
            c.transport === "batch" ||
            (c.transport === "malformed-json" && !c.procedure.schema);
          if (c.procedure.type !== "mutation" || !executes) return c;
          // A mutation without input (auth.logout) cannot be given a wrong one: only an
          // anonymous caller, who is refused before it runs, keeps the database unchanged.
          if (!c.procedure.schema) return c.role === "anonymous" ? c : null;
          // Mutations get invalid inputs only, so nothing may change. A valid one is made
          // invalid with an unknown field (every mutation's input is a strict object).
          if (!acceptsInput(c.procedure, wireForm(c.input))) return c;
          const input = applyMutation(c.input, { kind: "extra", field: "__fuzz_extra", value: 1 });
          return acceptsInput(c.procedure, wireForm(input)) ? null : { ...c, input };
        })
        .filter((c): c is Case => c !== null)
        // Counterexamples print as one readable line, not as zod schema internals.
        .map((c) => Object.assign(c, { [fc.toStringMethod]: () => describeCase(c) })),
    );

    // Warm-up: the first call of each credential records its use (session expiry slides,
    // service token last use); with the test's fixed clock later calls write nothing.
    for (const role of roles)
      await send({
        procedure: procedures.find((p) => p.path === "auth.me")!,
        role,
        input: undefined,
        mutation: { kind: "none" },
        transport: "normal",
      });

    let baseline: Snapshot = await snapshotDatabase(h.db.pool);
    const initial = baseline;
    let window: string[] = [];
    let sent = 0;
    const dbChanges: string[] = [];
    const statuses = new Map<number, number>();

    console.log(
      `[fuzz] backend=${testBackend()} seed=${SEED} cases=${CASES} (replay: GATEHOUSE_FUZZ_SEED=${SEED})`,
    );
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArbitrary, { minLength: PARALLEL, maxLength: PARALLEL }),
        async (cases) => {
          const answers = await Promise.all(cases.map((c) => send(c)));
          const problems = cases.flatMap((c, i) => {
            const answer = answers[i]!;
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (c.procedure.type === "mutation") window.push(describeCase(c));
            return problemsWith(c, answer).map((p) => `${p} <- ${describeCase(c)}`);
          });
          sent += cases.length;
          if (sent % CHECKPOINT_EVERY < PARALLEL) {
            const now = await snapshotDatabase(h.db.pool);
            const diff = diffSnapshots(baseline, now);
            if (Object.keys(diff).length > 0) {
              dbChanges.push(
                `${JSON.stringify(diff)}\n  ${await culprits(diff)}after one of:\n  ${window.slice(-40).join("\n  ")}`,
              );
              baseline = now;
            }
            window = [];
            sentCases.clear();
          }
          expect(problems).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: Math.ceil(CASES / PARALLEL), verbose: 1, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[fuzz] ${sent} cases in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );

    if (knownBugHits.size > 0)
      console.log(
        `[fuzz] known bugs hit (see knownBugs): ${JSON.stringify(Object.fromEntries(knownBugHits))}`,
      );

    expect(sent).toBeGreaterThanOrEqual(CASES);
    expect(dbChanges).toEqual([]);
    expect(diffSnapshots(initial, await snapshotDatabase(h.db.pool))).toEqual({});
  },
);
