/**
 * Deeply nested JSON must not freeze the API: one anonymous body of ~1 MB (199 arrays nested
 * 2,500 deep) would keep a recursive walk busy for seconds with /healthz waiting behind it,
 * and 10,000 levels would overflow the stack. So the HTTP host bounds depth and value count
 * on the raw text before tRPC (src/http/input-limits.ts), a 400 naming the limit, and the
 * unstorable-text walk (src/trpc/init.ts) is iterative and linear.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER } from "../../src/http/csrf.ts";
import { MAX_INPUT_DEPTH, MAX_INPUT_NODES } from "../../src/http/input-limits.ts";
import { unstorableTextPath } from "../../src/trpc/init.ts";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ serialPglite: true });
});
afterAll(() => h?.close());

const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);

interface Answer {
  status: number;
  message: string | undefined;
  fieldErrors: unknown;
  requestId: string | null;
  ms: number;
}

async function answerOf(res: Response, started: number): Promise<Answer> {
  const json = (await res.json()) as {
    error?: { message: string; data: { fieldErrors: unknown } };
  };
  return {
    status: res.status,
    message: json.error?.message,
    fieldErrors: json.error?.data.fieldErrors,
    requestId: res.headers.get("x-request-id"),
    ms: performance.now() - started,
  };
}

async function post(path: string, body: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${h.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", [CSRF_HEADER]: "1" },
    body,
  });
  return answerOf(res, started);
}

async function get(path: string, input: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${h.url}/trpc/${path}?input=${encodeURIComponent(input)}`);
  return answerOf(res, started);
}

function expectTooDeep(answer: Answer): void {
  expect(answer.status).toBe(400);
  expect(answer.message).toMatch(/nested too deeply/);
}

describe("nesting depth and value count are bounded before tRPC", () => {
  it("the review's body (199 arrays nested 2,500 deep, ~1 MB) is a 400 naming the depth limit, and /healthz answers meanwhile", async () => {
    const body = `[${Array.from({ length: 199 }, () => nested(2500)).join(",")}]`;
    expect(body.length).toBeGreaterThan(990_000);
    const [answer, health] = await Promise.all([
      post("auth.login", body),
      fetch(`${h.url}/healthz`),
    ]);
    expect(answer.status).toBe(400);
    expect(answer.message).toBe(`Input nested too deeply (limit ${MAX_INPUT_DEPTH} levels)`);
    expect(answer.fieldErrors).toEqual({ _: [answer.message] });
    expect(answer.requestId).toBeTruthy();
    expect(health.status).toBe(200);
    // Not asserted (no timing assertions); printed for the record.
    console.info(`2,500-deep ~1 MB body answered in ${answer.ms.toFixed(1)} ms`);
  });

  it("10,000 levels (a stack overflow and a 500 before) is a 400", async () => {
    const answer = await post("auth.login", nested(10_000));
    expectTooDeep(answer);
  });

  it("a batch is bounded as a whole, and the limits hold for authenticated procedures' bodies too", async () => {
    const batch = await post(
      "auth.login,auth.login?batch=1",
      JSON.stringify({
        0: { email: "a@b.example", password: "x" },
        1: JSON.parse(nested(40)) as unknown,
      }),
    );
    expectTooDeep(batch);
    const wide = await post(
      "orgs.create",
      `{"name":[${Array.from({ length: MAX_INPUT_NODES + 1 }, () => "0").join(",")}]}`,
    );
    expect(wide.status).toBe(400);
    expect(wide.message).toBe(`Input has too many values (limit ${MAX_INPUT_NODES})`);
  });

  it("GET ?input= is bounded the same way", async () => {
    const deep = await get("teams.list", nested(2000));
    expectTooDeep(deep);
  });

  it("brackets inside strings do not count, and ordinary input still works", async () => {
    const login = await post(
      "auth.login",
      JSON.stringify({ email: "nobody@input.example.com", password: "[".repeat(200) }),
    );
    expect(login.status).toBe(401);
    const query = await get("teams.list", JSON.stringify({ name: "{".repeat(100) }));
    expect(query.status).toBe(401);
  });
});

describe("the unstorable-text walk", () => {
  it("is iterative: 100,000 levels neither overflow the stack nor miss a NUL at the bottom", () => {
    let value: unknown = "bad\u0000";
    for (let i = 0; i < 100_000; i++) value = { k: value };
    const path = unstorableTextPath(value);
    expect(path).toHaveLength(100_000);
    expect(path?.every((key) => key === "k")).toBe(true);
    let clean: unknown = "fine";
    for (let i = 0; i < 100_000; i++) clean = [clean];
    expect(unstorableTextPath(clean)).toBeNull();
  });

  it("reports the first offending field in input order, keys included", () => {
    expect(unstorableTextPath({ a: "ok", b: ["x", "y\u0000"], c: "\u0000" })).toEqual(["b", "1"]);
    expect(unstorableTextPath({ a: { ["k\ud800"]: 1 } })).toEqual(["a", "k\ud800"]);
  });
});
