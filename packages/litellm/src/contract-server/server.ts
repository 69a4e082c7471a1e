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
import { handleControl } from "./control.ts";
import { ContractFaults } from "./faults.ts";
import { parseJson, readBody, send } from "./http-io.ts";
import { listRoutes } from "./list-routes.ts";
import type { ContractProfile } from "./profiles.ts";
import type { RouteContext } from "./route-kit.ts";
import { virtualKeyRefusal } from "./key-routes.ts";
import { liteLLMRoutes, pathRoute } from "./routes.ts";
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
  /**
   * Run the budget reset job every this many ms, as a real proxy does on its own schedule
   * (`proxy_budget_rescheduler_*`, about every 10 minutes). Default: never (tests run it
   * with `state.runBudgetReset()` or `POST /__control/reset-budgets`).
   */
  budgetResetEveryMs?: number;
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
  const budgetResetTimer =
    options.budgetResetEveryMs !== undefined && options.budgetResetEveryMs > 0
      ? setInterval(() => state.runBudgetReset(), options.budgetResetEveryMs).unref()
      : undefined;
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
      await handleControl(req, res, path, query, { state, faults });
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
    const route = liteLLMRoutes.get(path) ?? listRoutes.get(path) ?? pathRoute(path);
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
    const isMaster = presented !== undefined && timingSafeEqual(digest(presented), masterKeyDigest);
    if (!isMaster) {
      // Only a secret authenticates as a virtual key: user_api_key_auth expects `sk-...`
      // and never takes a key's hash (its id) as a credential.
      const asKey =
        presented?.startsWith("sk-") === true && "auth" in route && route.auth === "virtual-key"
          ? state.getKey(presented)
          : undefined;
      if (asKey === undefined) {
        respond(unauthorized(presented));
        return;
      }
      const refused = virtualKeyRefusal(state, presented!);
      if (refused) {
        respond(refused);
        return;
      }
    }
    respond(
      route.handler(context, {
        body: json.value,
        query: new URLSearchParams(query),
        ...(presented !== undefined && !isMaster ? { apiKey: presented } : {}),
      }),
    );
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
      if (budgetResetTimer !== undefined) clearInterval(budgetResetTimer);
      faults.dispose();
      for (const timer of latencyTimers) clearTimeout(timer);
      latencyTimers.clear();
      await close();
    },
  };
}
