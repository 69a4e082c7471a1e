/**
 * Plain queries answered straight from node:http (src/http/fast-queries.ts) answer exactly
 * as Hono + tRPC's fetch adapter do: same status, same body (but the request id), same
 * headers that matter (content type, vary, X-Request-Id, security headers). The reference
 * is the same app's `fetch`, which never takes the direct path.
 */
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import { fastQueryCalls } from "../../src/http/fast-queries.ts";
import { securityHeaders } from "../../src/http/security-headers.ts";
import { createLogger } from "../../src/logger.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { rawRequest } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

let h: Harness;
let reference: ReturnType<typeof createApp>;
const who: Record<"admin" | "orgAdmin" | "member", string> = {
  admin: "",
  orgAdmin: "",
  member: "",
};
let bearer = "";
let orgId = "";
let teamId = "";

beforeAll(async () => {
  h = await startHarness();
  reference = createApp({
    db: h.db,
    config: h.config,
    clock: h.clock,
    logger: createLogger("silent"),
  });
  orgId = await fx.insertOrganization(h.db, "Fast Org");
  teamId = await fx.insertTeam(h.db, { name: "Fast Team", organizationId: orgId });
  await fx.insertTeam(h.db, { name: "Other Team", organizationId: null });
  const admin = await fx.insertUser(h.db, { email: "fast-admin@x.test", isSystemAdmin: true });
  const orgAdmin = await fx.insertUser(h.db, { email: "fast-orgadmin@x.test" });
  const member = await fx.insertUser(h.db, { email: "fast-member@x.test" });
  await fx.addOrgMember(h.db, orgId, orgAdmin, "ORG_ADMIN");
  who.admin = await fx.insertSession(h, admin);
  who.orgAdmin = await fx.insertSession(h, orgAdmin);
  who.member = await fx.insertSession(h, member);
  bearer = await fx.insertServiceToken(h.db, { admin: true });
});
afterAll(async () => h?.close());

const q = (input: unknown) => encodeURIComponent(JSON.stringify(input));

/** Request ids differ by design; everything else must not. */
function normalized(body: string): unknown {
  return JSON.parse(body.replace(/"requestId":"[0-9a-f-]{36}"/g, '"requestId":"<id>"'));
}

async function both(path: string, headers: Record<string, string>) {
  const direct = await rawRequest(h.url, { path, headers });
  // As node:http hands Hono a request: with the Host header the cookie rules read.
  const viaAdapters = await reference.fetch(
    new Request(`${h.url}${path}`, { headers: { host: new URL(h.url).host, ...headers } }),
  );
  return { direct, viaAdapters, viaAdaptersBody: await viaAdapters.text() };
}

const cases: Array<{ name: string; path: () => string; as?: keyof typeof who | "bearer" }> = [
  { name: "a page of teams (admin)", path: () => `/trpc/teams.list`, as: "admin" },
  {
    name: "a page with input",
    path: () => `/trpc/teams.list?input=${q({ pageSize: 1 })}`,
    as: "admin",
  },
  {
    name: "bad input: field errors",
    path: () => `/trpc/teams.list?input=${q({ pageSize: -1 })}`,
    as: "admin",
  },
  {
    name: "unknown team: 404",
    path: () => `/trpc/teams.get?input=${q({ teamId: crypto.randomUUID() })}`,
    as: "admin",
  },
  {
    name: "a team (org admin)",
    path: () => `/trpc/teams.get?input=${q({ teamId })}`,
    as: "orgAdmin",
  },
  { name: "no caller: 401", path: () => `/trpc/teams.list` },
  { name: "not an admin: 403", path: () => `/trpc/users.list`, as: "member" },
  { name: "a visitor's auth.me", path: () => `/trpc/auth.me` },
  { name: "service token", path: () => `/trpc/teams.list`, as: "bearer" },
  {
    name: "an organization",
    path: () => `/trpc/orgs.get?input=${q({ organizationId: orgId })}`,
    as: "orgAdmin",
  },
  {
    name: "a batch of two",
    path: () => `/trpc/teams.list,auth.me?batch=1&input=${q({ 0: { pageSize: 1 } })}`,
    as: "admin",
  },
  {
    name: "a batch mixing 200 and 401: 207",
    path: () => `/trpc/auth.me,teams.list?batch=1&input=${q({})}`,
  },
  {
    name: "a batch with one bad input",
    path: () => `/trpc/teams.list,teams.list?batch=1&input=${q({ 0: {}, 1: { sortBy: "nope" } })}`,
    as: "admin",
  },
];

describe("plain queries answered from node:http", () => {
  it.each(cases)("$name: the same answer as through the adapters", async ({ path, as }) => {
    const headers: Record<string, string> = {};
    if (as === "bearer") headers.authorization = `Bearer ${bearer}`;
    else if (as) headers.cookie = `gh_session=${who[as]}`;
    const url = path();
    expect(fastQueryCalls({ method: "GET", url, headers } as IncomingMessage, 20)).not.toBeNull();
    const { direct, viaAdapters, viaAdaptersBody } = await both(url, headers);
    expect(direct.status).toBe(viaAdapters.status);
    expect(normalized(direct.body)).toEqual(normalized(viaAdaptersBody));
    expect(direct.headers["content-type"]).toBe(viaAdapters.headers.get("content-type"));
    expect(direct.headers.vary).toBe(viaAdapters.headers.get("vary"));
    expect(direct.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    for (const [name, value] of Object.entries(securityHeaders)) {
      expect(direct.headers[name.toLowerCase()]).toBe(value);
    }
  });

  const declined: Array<
    [string, { method?: string; url: string; headers?: Record<string, string> }]
  > = [
    ["a mutation", { method: "POST", url: "/trpc/teams.create" }],
    ["a mutation asked with GET", { url: "/trpc/teams.create" }],
    ["HEAD", { method: "HEAD", url: "/trpc/teams.list" }],
    ["an unknown path", { url: "/trpc/teams.nope" }],
    ["a path with a trailing slash", { url: "/trpc/teams.list/" }],
    ["input that is not JSON", { url: "/trpc/teams.list?input=%7Bnope" }],
    [
      "input over the depth limit",
      { url: `/trpc/teams.list?input=${q(JSON.parse("[".repeat(40) + "]".repeat(40)))}` },
    ],
    ["a batch input that is not an object", { url: `/trpc/auth.me?batch=1&input=${q(5)}` }],
    [
      "a batch over the size limit",
      { url: `/trpc/${Array(21).fill("auth.me").join(",")}?batch=1` },
    ],
    [
      "a streaming client",
      { url: "/trpc/auth.me?batch=1", headers: { "trpc-accept": "application/jsonl" } },
    ],
    ["connection params", { url: "/trpc/auth.me?connectionParams=1" }],
    ["a bad path encoding", { url: "/trpc/%E0%A4%A" }],
    ["another endpoint", { url: "/healthz" }],
  ];
  it.each(declined)("leaves %s to the adapters", (_name, request) => {
    const req = { method: "GET", headers: {}, ...request } as IncomingMessage;
    expect(fastQueryCalls(req, 20)).toBeNull();
  });
});
