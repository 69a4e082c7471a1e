/**
 * `pnpm bench sign-in [--pg <url>] [--count 200] [--warmup 10]`
 *
 * Sign-in latency, one sign-in after another, on a fresh database (a new database on the
 * server named by --pg or DATABASE_URL, else an in-memory PGlite) with the real Gatehouse API
 * in a child process (as in production: its own event loop):
 * - `password`: `auth.login` (argon2id verification, session insert, audit) over HTTP;
 * - `sso`: `GET /auth/sso/callback` — Gatehouse's half of a single sign-on: state check, the
 *   code exchange with the IdP (the local oidc-provider, in this process), ID token
 *   validation, account link and group sync, session start. The IdP's login pages are driven
 *   before the timer starts; only the callback request is timed.
 * One JSON line per measurement, then both side by side.
 */
import crypto from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createTestDatabase } from "@gatehouse/db/testing";
import { API_NODE_FLAGS, benchSecretsKey, childEnv, loadBenchConfig } from "./config.ts";
import { summarize, type LatencySummary } from "./load.ts";
import { apiClient } from "./sign-in/http.ts";
import { prepareSso } from "./sign-in/sso.ts";

const line = (record: Record<string, unknown>): void =>
  console.log(JSON.stringify({ bench: "sign-in", ...record }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startApi(databaseUrl: string, port: number, poolMax: number): Promise<ChildProcess> {
  const file = path.join(import.meta.dirname, "teams-list", "gatehouse-server.ts");
  const child = spawn(process.execPath, [...API_NODE_FLAGS, "--import", "tsx", file], {
    env: childEnv({
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      GATEHOUSE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      GATEHOUSE_LOG_LEVEL: loadBenchConfig().apiLogLevel,
      GATEHOUSE_DB_POOL_MAX: String(poolMax),
      GATEHOUSE_SECRETS_KEY: benchSecretsKey,
      // Every sign-in comes from 127.0.0.1: /auth/sso/start is bounded per address (10x this).
      GATEHOUSE_LOGIN_MAX_PER_ADDRESS: "100000",
    }),
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`API exited with ${code}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      if (/READY \d+/.test(chunk.toString())) resolve();
    });
  });
  return child;
}

/** A system admin with a known session, written straight to the fresh database. */
async function adminSession(db: Awaited<ReturnType<typeof createTestDatabase>>): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash, is_system_admin)
     VALUES ('bench-admin@bench.example', 'Bench Admin', 'bench', true) RETURNING id::text`,
  );
  const token = `ghs_bench_${crypto.randomBytes(16).toString("base64url")}`;
  await db.pool.query(
    `INSERT INTO sessions (token_hash, user_id, idle_expires_at, absolute_expires_at)
     VALUES ($1, $2::uuid, now() + interval '1 day', now() + interval '1 day')`,
    [crypto.createHash("sha256").update(token).digest("hex"), rows[0]!.id],
  );
  return token;
}

async function measure(
  count: number,
  warmup: number,
  once: () => Promise<{ ok: boolean; ms: number }>,
): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await once();
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const { ok, ms } = await once();
    if (!ok) errors++;
    latencies.push(ms);
  }
  return summarize(latencies, errors);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      pg: { type: "string" },
      count: { type: "string", default: "200" },
      warmup: { type: "string", default: "10" },
      // Only the password side (e.g. where the SSO endpoints are not there yet).
      "password-only": { type: "boolean", default: false },
    },
  });
  const count = Number(values.count);
  const warmup = Number(values.warmup);
  const config = loadBenchConfig();
  const fresh = await createTestDatabase({
    poolMax: 1,
    serverUrl: values.pg ?? config.databaseUrl ?? null,
  });
  const [load1, load5] = os.loadavg();
  line({
    backend: fresh.backend,
    count,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    loadavg: [load1, load5].map((x) => Math.round(x! * 100) / 100),
  });
  const port = await freePort();
  const api = await startApi(fresh.url, port, fresh.backend === "pglite" ? 1 : 16);
  const client = apiClient(new URL(`http://127.0.0.1:${port}`));
  const stopIdp: Array<() => Promise<void>> = [];
  try {
    const admin = await adminSession(fresh);

    // Password: one account, signed in `count` times (each a new session, as people do).
    const password = `bench-${crypto.randomBytes(8).toString("hex")}`;
    await client.mutation(
      "users.create",
      { email: "bench-password@bench.example", name: "Bench Password", password },
      admin,
    );
    const passwordSide = await measure(count, warmup, async () => {
      const res = await client.mutation("auth.login", {
        email: "bench-password@bench.example",
        password,
      });
      return { ok: res.setCookie.some((c) => c.startsWith("gh_session=")), ms: res.ms };
    });
    line({ case: "password", ...passwordSide });

    let ssoSide: LatencySummary | null = null;
    if (!values["password-only"]) {
      const sso = await prepareSso(client, admin);
      stopIdp.push(sso.close);
      ssoSide = await measure(count, warmup, sso.signInOnce);
      line({ case: "sso-callback", ...ssoSide });
    }

    const row = (name: string, s: LatencySummary | null) =>
      s
        ? `${name.padEnd(14)} p50 ${String(s.p50).padStart(8)} ms   p99 ${String(s.p99).padStart(8)} ms   (n=${s.requests}, errors ${s.errors})`
        : `${name.padEnd(14)} not measured`;
    console.log(row("password", passwordSide));
    console.log(row("sso callback", ssoSide));
  } finally {
    for (const close of stopIdp) await close();
    api.kill("SIGTERM");
    await new Promise((resolve) => api.once("exit", resolve));
    await fresh.close();
  }
}
