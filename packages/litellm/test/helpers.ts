/**
 * Test fixture: a fresh contract server per test (real HTTP on a free loopback port) and
 * clients pointed at it. No mocks: every assertion goes through the wire.
 */
import { afterEach, beforeEach } from "vitest";
import {
  startContractServer,
  type ContractServer,
  type ContractServerOptions,
} from "../src/contract-server/index.ts";
import { LiteLLMClient, type LiteLLMClientOptions } from "../src/index.ts";

export const MASTER_KEY = "sk-test-master-7f3a9c";

export interface Fixture {
  server: ContractServer;
  client: LiteLLMClient;
  /** Another client on the same server, e.g. with a wrong key or a short timeout. */
  makeClient: (overrides?: Partial<LiteLLMClientOptions>) => LiteLLMClient;
  /** Raw authenticated request, for asserting LiteLLM's exact wire answers. */
  raw: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<RawResponse>;
}

export interface RawResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

export function useContractServer(options: Partial<ContractServerOptions> = {}): () => Fixture {
  let fixture: Fixture | undefined;
  const clients: LiteLLMClient[] = [];

  beforeEach(async () => {
    const server = await startContractServer({ masterKey: MASTER_KEY, ...options });
    const makeClient = (overrides: Partial<LiteLLMClientOptions> = {}): LiteLLMClient => {
      const client = new LiteLLMClient({
        baseUrl: server.url,
        masterKey: MASTER_KEY,
        ...overrides,
      });
      clients.push(client);
      return client;
    };
    fixture = {
      server,
      client: makeClient(),
      makeClient,
      raw: async (method, path, body, headers = {}) => {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${MASTER_KEY}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
          },
          body:
            body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
        return { status: response.status, body: parsed };
      },
    };
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await fixture?.server.stop();
    fixture = undefined;
  });

  return () => {
    if (!fixture) throw new Error("fixture used outside a test");
    return fixture;
  };
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}
