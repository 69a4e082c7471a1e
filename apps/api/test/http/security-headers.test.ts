/**
 * Security headers on everything the API process serves: /healthz, /trpc (answers and
 * errors), and the built SPA when GATEHOUSE_WEB_DIST points at it (here a temporary folder
 * outside the working directory, with an index.html and an asset): the page, the asset, a
 * client-side route that falls back to the page, and a missing asset. Each carries a CSP
 * with `frame-ancestors 'none'` (no framing, so no clickjacking), `nosniff`, a referrer
 * policy and a request id.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import { insertSession, insertUser } from "../support/fixtures.ts";

let h: Harness;
let webDist: string;
let cookie: string;

const INDEX =
  "<!doctype html><html><head><title>Gatehouse</title><script type=module src=/assets/app.js></script></head><body><div id=root></div></body></html>";
const ASSET = "console.log('gatehouse');";

beforeAll(async () => {
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-web-"));
  fs.mkdirSync(path.join(webDist, "assets"));
  fs.writeFileSync(path.join(webDist, "index.html"), INDEX);
  fs.writeFileSync(path.join(webDist, "assets", "app.js"), ASSET);
  h = await startHarness({ serialPglite: true, env: { GATEHOUSE_WEB_DIST: webDist } });
  cookie = `gh_session=${await insertSession(h, await insertUser(h.db, { email: "admin@headers.example.com", isSystemAdmin: true }))}`;
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

function expectSecurityHeaders(label: string, headers: Headers): void {
  const csp = headers.get("content-security-policy") ?? "";
  expect(csp, label).toMatch(/(^|;\s*)default-src 'self'/);
  expect(csp, label).toMatch(/(^|;\s*)frame-ancestors 'none'/);
  expect(csp, label).toMatch(/(^|;\s*)object-src 'none'/);
  expect(csp, label).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(headers.get("referrer-policy"), label).toBe("strict-origin-when-cross-origin");
  expect(headers.get("x-frame-options"), label).toBe("DENY");
  expect(headers.get("x-request-id"), label).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
}

it("are set on /healthz, on /trpc answers and errors (a CSRF refusal too), and on the served SPA", async () => {
  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${h.url}${p}`, { headers });

  const health = await get("/healthz");
  expect(health.status).toBe(200);
  expectSecurityHeaders("/healthz", health.headers);

  const me = await get("/trpc/auth.me", { cookie });
  expect(me.status).toBe(200);
  expectSecurityHeaders("/trpc ok", me.headers);
  const anonymous = await get("/trpc/auth.me");
  expect(anonymous.status).toBe(401);
  expectSecurityHeaders("/trpc 401", anonymous.headers);
  const csrf = await fetch(`${h.url}/trpc/auth.logout`, {
    method: "POST",
    headers: { cookie, origin: "https://evil.example.net", "content-type": "application/json" },
  });
  expect(csrf.status).toBe(403);
  expectSecurityHeaders("/trpc CSRF 403", csrf.headers);
  const missing = await get("/trpc/no.such.procedure");
  expect(missing.status).toBe(404);
  expectSecurityHeaders("/trpc 404", missing.headers);

  const page = await get("/");
  expect(page.status).toBe(200);
  expect(await page.text()).toBe(INDEX);
  expectSecurityHeaders("/", page.headers);

  const asset = await get("/assets/app.js");
  expect(asset.status).toBe(200);
  expect(await asset.text()).toBe(ASSET);
  expect(asset.headers.get("content-type")).toMatch(/javascript/);
  expectSecurityHeaders("/assets/app.js", asset.headers);

  const route = await get("/teams/some-team-id");
  expect(route.status).toBe(200);
  expect(await route.text()).toBe(INDEX);
  expectSecurityHeaders("client route", route.headers);

  const gone = await get("/assets/missing.js");
  expectSecurityHeaders("missing asset", gone.headers);
});
