/**
 * One webhook POST to an address already checked (core pickDeliveryAddress): the
 * connection is pinned to it through the request's own `lookup`, so a name that resolves
 * elsewhere a moment later (DNS rebinding) cannot move it; TLS still verifies the URL's
 * host name. No redirect is followed (node's client follows none; a 3xx is a failure),
 * and a connect timeout and a total timeout bound a receiver that hangs.
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/** Every address a host name resolves to (injected in tests: no real DNS, no socket). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface PostInput {
  url: URL;
  /** The checked address to connect to. */
  address: string;
  headers: Record<string, string>;
  body: string;
  connectTimeoutMs: number;
  timeoutMs: number;
}

/** The receiver's status code, or why there was none. */
export type PostOutcome = { statusCode: number; error: null } | { statusCode: null; error: string };

/** What is kept of a response body: receivers' answers are not read beyond this. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export function postWebhook(input: PostInput): Promise<PostOutcome> {
  const { url, address } = input;
  const family = net.isIPv6(address) ? 6 : 4;
  const pinnedLookup: net.LookupFunction = (_host, options, callback) => {
    if ((options as dns.LookupAllOptions).all)
      (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [
        { address, family },
      ]);
    else callback(null, address, family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connect);
      resolve(outcome);
    };
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: {
          ...input.headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(input.body)),
          "user-agent": "Gatehouse-Webhooks/1",
        },
        lookup: pinnedLookup,
        // A fresh connection per POST: a pooled socket would skip the pinning above.
        agent: false,
      },
      (response) => {
        let seen = 0;
        response.on("data", (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_RESPONSE_BYTES) response.destroy();
        });
        const status = response.statusCode ?? 0;
        const done = () => finish({ statusCode: status, error: null });
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    const total = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, error: `no answer within ${input.timeoutMs} ms` });
    }, input.timeoutMs);
    const connect = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, error: `could not connect within ${input.connectTimeoutMs} ms` });
    }, input.connectTimeoutMs);
    request.on("socket", (socket) => {
      const connected = () => clearTimeout(connect);
      if (!socket.connecting) connected();
      socket.once(url.protocol === "https:" ? "secureConnect" : "connect", connected);
    });
    request.on("error", (error) =>
      finish({ statusCode: null, error: error.message || "connection failed" }),
    );
    request.end(input.body);
  });
}
