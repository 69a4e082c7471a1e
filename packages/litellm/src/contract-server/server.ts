/**
 * The LiteLLM contract test server: real HTTP on loopback (node:http, keep-alive), the
 * LiteLLM model from routes.ts behind the master key, fault injection, a request log, and
 * `/__control/*` endpoints so another process (the demo, browser tests) can drive faults
 * and read state. Control endpoints are unauthenticated and answer CORS: this server holds
 * no real data and binds to 127.0.0.1 unless told otherwise.
 *
 * Order of work per LiteLLM request, chosen to behave like a real proxy under faults:
 * down? -> read body -> latency -> down again? -> fail-next -> route (404/405) -> JSON
 * syntax (422, FastAPI checks it before dependencies) -> master key (401) -> handler.
 * A request whose client gave up during the latency is still handled: a real proxy does
 * not know the caller timed out, which is exactly why Gatehouse's calls must be idempotent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ContractFaults, type DownMode } from "./faults.ts";
import { listRoutes } from "./list-routes.ts";
import type { ContractProfile } from "./profiles.ts";
import type { RouteContext } from "./route-kit.ts";
import { liteLLMRoutes } from "./routes.ts";
import { ContractState, hashToken, type RequestLogEntry } from "./state.ts";
import { fastapiDetail, jsonDecodeError, proxyError, type WireResponse } from "./wire.ts";

export interface ContractServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  masterKey: string;
  /** Which LiteLLM generation to imitate where they differ (see routes.ts). */
  profile?: ContractProfile;
  /** user_id LiteLLM attributes to master-key calls; null to not add it to new teams. */
  masterKeyUserId?: string | null;
  /** Request log cap; the oldest entries are dropped beyond it. Default 100,000. */
  maxLogEntries?: number;
}

export interface ContractServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly state: ContractState;
  readonly faults: ContractFaults;
  /**
   * Requests held by the latency fault right now: received, not yet answered (the request
   * log records a request only when it is answered). Lets a test act while a call is
   * certainly in flight.
   */
  readonly delayedRequests: number;
  /** Clears teams, keys, the request log and all faults. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

const corsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type",
};

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
  plainText = false,
): void {
  if (res.destroyed || res.writableEnded) return;
  const text = plainText ? String(body) : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": plainText ? "text/plain; charset=utf-8" : "application/json",
    "content-length": Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

type ParsedJson = { ok: true; value: unknown } | { ok: false; raw: string };

function parseJson(text: string): ParsedJson {
  if (text === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, raw: text };
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return header.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : header.trim();
}

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

function unauthorized(presented: string | undefined): WireResponse {
  if (presented === undefined || presented === "") {
    return proxyError(401, "Authentication Error, No api key passed in.", "auth_error");
  }
  // LiteLLM echoes an abbreviation of the key it was given; the client must redact it.
  return proxyError(
    401,
    `Authentication Error, Invalid proxy server token passed. Received API Key = sk-...${presented.slice(-4)}, Key Hash (Token) =${hashToken(presented)}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
    "auth_error",
  );
}

function injectedFailure(status: number): WireResponse {
  const type = status === 401 || status === 403 ? "auth_error" : "internal_server_error";
  return proxyError(status, `Injected failure: HTTP ${status} (contract server fail-next)`, type);
}

const zSpend = z.object({
  teams: z
    .array(
      z.object({
        teamId: z.string(),
        spend: z.number().nonnegative(),
        maxBudget: z.number().nonnegative().nullable().optional(),
        budgetResetAt: z.iso.datetime().nullable().optional(),
      }),
    )
    .optional(),
  /** `key` is the secret or the token id. */
  keys: z.array(z.object({ key: z.string(), spend: z.number().nonnegative() })).optional(),
});
const zLatency = z.object({ ms: z.number().min(0) });
const zFailNext = z.object({
  count: z.number().int().min(1),
  status: z.number().int().min(400).max(599).optional(),
  path: z.string().startsWith("/").optional(),
});
const zDown = z.object({
  mode: z.enum(["destroy", "refuse"]).optional(),
  forMs: z.number().positive().optional(),
});

export async function startContractServer(options: ContractServerOptions): Promise<ContractServer> {
  if (!options.masterKey) throw new TypeError("startContractServer: masterKey is required");
  const host = options.host ?? "127.0.0.1";
  // Digests are compared so the check is constant-time whatever the presented length.
  const masterKeyDigest = digest(options.masterKey);
  const state = new ContractState({ maxLogEntries: options.maxLogEntries });
  const context: RouteContext = {
    state,
    profile: options.profile ?? "oss",
    masterKeyUserId:
      options.masterKeyUserId === undefined ? "default_user_id" : options.masterKeyUserId,
  };
  const latencyTimers = new Set<NodeJS.Timeout>();
  let port = options.port ?? 0;
  let listening = false;
  let stopped = false;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { detail: "Internal Server Error" }));
  });
  // Keep-alive as a real proxy behind uvicorn would; undici's pool reuses sockets for 4 s.
  server.keepAliveTimeout = 5_000;

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once("error", onError);
      server.listen(port, host, () => {
        server.off("error", onError);
        port = (server.address() as AddressInfo).port;
        listening = true;
        resolve();
      });
    });

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!listening) {
        resolve();
        return;
      }
      listening = false;
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const faults = new ContractFaults({
    close,
    open: async () => {
      if (!stopped && !listening) await listen();
    },
  });

  function record(
    req: IncomingMessage,
    path: string,
    query: string,
    rest: Pick<RequestLogEntry, "body" | "status" | "fault">,
  ): void {
    state.record({ method: req.method ?? "GET", path, query, ...rest });
  }

  function dropConnection(req: IncomingMessage, path: string, query: string, body: unknown): void {
    record(req, path, query, { body, status: null, fault: "down" });
    req.socket.destroy();
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        latencyTimers.delete(timer);
        resolve();
      }, ms);
      latencyTimers.add(timer);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? "" : rawUrl.slice(q + 1);
    if (path.startsWith("/__control/")) {
      await handleControl(req, res, path, query);
      return;
    }
    if (faults.downMode !== null) {
      dropConnection(req, path, query, undefined);
      return;
    }
    const json = parseJson(await readBody(req));
    const logBody = json.ok ? json.value : json.raw;
    if (faults.latencyMs > 0) await wait(faults.latencyMs);
    if (faults.downMode !== null) {
      dropConnection(req, path, query, logBody);
      return;
    }
    const respond = (answer: WireResponse, fault: RequestLogEntry["fault"] = null): void => {
      record(req, path, query, { body: logBody, status: answer.status, fault });
      send(res, answer.status, answer.body, {}, answer.plainText === true);
    };

    const injected = faults.takeFailure(path);
    if (injected !== undefined) {
      respond(injectedFailure(injected), "fail-next");
      return;
    }
    if (path === "/health/liveliness" && req.method === "GET") {
      // Unauthenticated liveness probe, as on a real proxy.
      respond({ status: 200, body: "I'm alive!" });
      return;
    }
    const route = liteLLMRoutes.get(path) ?? listRoutes.get(path);
    if (!route) {
      respond(fastapiDetail(404, "Not Found"));
      return;
    }
    if (route.method !== req.method) {
      respond(fastapiDetail(405, "Method Not Allowed"));
      return;
    }
    if (!json.ok) {
      respond(jsonDecodeError());
      return;
    }
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined || !timingSafeEqual(digest(presented), masterKeyDigest)) {
      respond(unauthorized(presented));
      return;
    }
    respond(route.handler(context, { body: json.value, query: new URLSearchParams(query) }));
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: string,
  ): Promise<void> {
    const reply = (status: number, body: unknown): void => send(res, status, body, corsHeaders);
    if (req.method === "OPTIONS") {
      res.writeHead(204, corsHeaders);
      res.end();
      return;
    }
    const parsedJson = parseJson(await readBody(req));
    const body: unknown = parsedJson.ok ? (parsedJson.value ?? {}) : undefined;
    if (body === undefined) {
      reply(400, { error: "body must be JSON" });
      return;
    }
    const parse = <T>(schema: z.ZodType<T>): T | undefined => {
      const result = schema.safeParse(body);
      if (result.success) return result.data;
      reply(400, { error: z.prettifyError(result.error) });
      return undefined;
    };
    const done = (): void => reply(200, { ok: true, faults: faults.status() });
    const route = `${req.method ?? "GET"} ${path}`;

    switch (route) {
      case "GET /__control/state":
        reply(200, { ...state.snapshot(), faults: faults.status() });
        return;
      case "GET /__control/requests": {
        const since = Number(new URLSearchParams(query).get("since") ?? "0");
        reply(200, { requests: state.requestsSince(Number.isFinite(since) ? since : 0) });
        return;
      }
      case "POST /__control/latency": {
        const input = parse(zLatency);
        if (!input) return;
        try {
          faults.setLatency(input.ms);
        } catch (error) {
          reply(400, { error: (error as Error).message });
          return;
        }
        done();
        return;
      }
      case "POST /__control/fail-next": {
        const input = parse(zFailNext);
        if (!input) return;
        faults.failNext(
          input.count,
          input.status,
          input.path === undefined ? {} : { path: input.path },
        );
        done();
        return;
      }
      case "POST /__control/down": {
        const input = parse(zDown);
        if (!input) return;
        const mode: DownMode = input.mode ?? "destroy";
        if (mode === "refuse" && input.forMs === undefined) {
          // Nothing could bring it back over HTTP: the control endpoints stop answering too.
          reply(400, {
            error: "mode 'refuse' needs forMs over HTTP (use mode 'destroy' or set forMs)",
          });
          return;
        }
        const downOptions = input.forMs === undefined ? { mode } : { mode, forMs: input.forMs };
        if (mode === "refuse") {
          // Answer first: going down closes this very connection.
          res.once("finish", () => void faults.down(downOptions).catch(() => undefined));
          reply(200, { ok: true, faults: { ...faults.status(), down: mode } });
          return;
        }
        await faults.down(downOptions);
        done();
        return;
      }
      case "POST /__control/up":
        await faults.up();
        done();
        return;
      case "POST /__control/spend": {
        // What the proxy reports as counted spend (no model traffic flows through this server).
        const input = parse(zSpend);
        if (!input) return;
        const missing: string[] = [];
        for (const team of input.teams ?? []) {
          const { teamId, ...spend } = team;
          if (!state.setTeamSpend(teamId, spend)) missing.push(teamId);
        }
        for (const key of input.keys ?? []) {
          if (!state.setKeySpend(key.key, key.spend)) missing.push(key.key);
        }
        if (missing.length > 0) {
          reply(404, { error: `unknown teams or keys: ${missing.join(", ")}` });
          return;
        }
        done();
        return;
      }
      case "POST /__control/reset":
        state.reset();
        await faults.reset();
        done();
        return;
      default:
        reply(404, { error: `unknown control endpoint: ${route}` });
    }
  }

  await listen();

  return {
    get url() {
      return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    },
    host,
    get port() {
      return port;
    },
    state,
    faults,
    get delayedRequests() {
      return latencyTimers.size;
    },
    async reset() {
      state.reset();
      await faults.reset();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      faults.dispose();
      for (const timer of latencyTimers) clearTimeout(timer);
      latencyTimers.clear();
      await close();
    },
  };
}
