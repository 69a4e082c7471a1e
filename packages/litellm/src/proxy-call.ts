/**
 * One call to a proxy: the request with the master key, the timeout, the observer, and
 * every failure turned into a `LiteLLMError` whose text never holds the key. The endpoint
 * modules (endpoints/*.ts) build their requests on `ProxyCall.call`.
 */
import type { z } from "zod";
import { fetchTransport, nodeHttpTransport, type Transport } from "./transport.ts";
import {
  LiteLLMError,
  classifyHttpFailure,
  classifyNetworkFailure,
  networkErrorCode,
  parseErrorBody,
  redact,
  type LiteLLMOperation,
} from "./errors.ts";

/** One finished call to the proxy, as given to `LiteLLMClientOptions.observer`. */
export interface LiteLLMCallEvent {
  operation: LiteLLMOperation;
  /** `METHOD /path`, without the query (which may hold a key). */
  route: string;
  /** HTTP status, when the proxy answered. */
  status: number | undefined;
  durationMs: number;
  /** The failure's kind and reason (see errors.ts), or null on success. */
  error: { kind: string; reason: string } | null;
}

export type LiteLLMCallObserver = (event: LiteLLMCallEvent) => void;

export interface ProxyCallOptions {
  baseUrl: string;
  masterKey: string;
  timeoutMs: number;
  fetch?: typeof fetch | undefined;
  observer?: LiteLLMCallObserver | undefined;
}

export interface CallOptions {
  /**
   * Authenticate as this key instead of the master key (a virtual key checking itself on
   * a model route); redacted from errors like the master key.
   */
  bearer?: string | undefined;
}

export class ProxyCall {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  // An ES private field so the key stays out of console.log / JSON.stringify.
  readonly #masterKey: string;
  readonly #transport: Transport;
  readonly #observer: LiteLLMCallObserver | undefined;

  constructor(options: ProxyCallOptions) {
    this.#baseUrl = options.baseUrl;
    this.#timeoutMs = options.timeoutMs;
    this.#masterKey = options.masterKey;
    this.#transport = options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport();
    this.#observer = options.observer;
  }

  /** Closes pooled keep-alive connections; calls after it open new ones. */
  close(): void {
    this.#transport.close();
  }

  async call<T>(
    operation: LiteLLMOperation,
    method: "GET" | "POST",
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<T> {
    if (!this.#observer)
      return (await this.#send(operation, method, path, schema, body, options)).data;
    const observer = this.#observer;
    const started = performance.now();
    const route = `${method} ${path.split("?")[0]}`;
    const report = (
      status: number | undefined,
      error: { kind: string; reason: string } | null,
    ): void => {
      try {
        observer({ operation, route, status, durationMs: performance.now() - started, error });
      } catch {
        // An observer's failure must never become the call's.
      }
    };
    try {
      const { status, data } = await this.#send(operation, method, path, schema, body, options);
      report(status, null);
      return data;
    } catch (error) {
      if (error instanceof LiteLLMError)
        report(error.status, { kind: error.kind, reason: error.reason });
      else report(undefined, { kind: "internal", reason: "unexpected" });
      throw error;
    }
  }

  async #send<T>(
    operation: LiteLLMOperation,
    method: "GET" | "POST",
    path: string,
    schema: z.ZodType<T>,
    body: unknown,
    options: CallOptions,
  ): Promise<{ status: number; data: T }> {
    const redactAlso = options.bearer;
    // The route names the call in errors; the query (which may hold a key) stays out.
    const route = `${method} ${path.split("?")[0]}`;
    let status: number;
    let text: string;
    try {
      ({ status, text } = await this.#transport.send({
        method,
        url: new URL(`${this.#baseUrl}${path}`),
        headers: {
          authorization: `Bearer ${options.bearer ?? this.#masterKey}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.#timeoutMs,
      }));
    } catch (error) {
      const { kind, reason } = classifyNetworkFailure(error);
      const what =
        kind === "timeout"
          ? `no answer within ${this.#timeoutMs} ms (the request may still have taken effect)`
          : `proxy unreachable (${networkErrorCode(error) ?? "network error"})`;
      throw new LiteLLMError(
        this.#redact(`LiteLLM ${operation} (${route}) failed: ${what}`, redactAlso),
        {
          kind,
          reason,
          operation,
          cause: error,
        },
      );
    }

    if (status < 200 || status >= 300) {
      const parsed = parseErrorBody(text);
      const { kind, reason } = classifyHttpFailure(operation, status, parsed);
      const litellmMessage =
        parsed.message === undefined ? undefined : this.#redact(parsed.message, redactAlso);
      throw new LiteLLMError(
        `LiteLLM ${operation} (${route}) failed with HTTP ${status}: ${litellmMessage ?? "no message"}`,
        { kind, reason, operation, status, litellmMessage, litellmType: parsed.type },
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.#badResponse(operation, route, status, "body is not JSON");
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      const fields = result.error.issues.map((i) => i.path.join(".") || "(root)").join(", ");
      throw this.#badResponse(operation, route, status, `unexpected body (fields: ${fields})`);
    }
    return { status, data: result.data };
  }

  #badResponse(
    operation: LiteLLMOperation,
    route: string,
    status: number,
    what: string,
  ): LiteLLMError {
    return new LiteLLMError(`LiteLLM ${operation} (${route}) answered HTTP ${status} but ${what}`, {
      kind: "protocol",
      reason: "bad_response",
      operation,
      status,
    });
  }

  #redact(text: string, alsoSecret?: string): string {
    const out = redact(text, this.#masterKey);
    return alsoSecret ? out.split(alsoSecret).join("[redacted]") : out;
  }
}

export function invalidInput(operation: LiteLLMOperation, what: string): never {
  throw new LiteLLMError(`LiteLLM ${operation}: invalid input: ${what}`, {
    kind: "rejected",
    reason: "invalid_request",
    operation,
  });
}

/** Checks each named field is a non-empty string; returns the (last) value for inline use. */
export function requireText(operation: LiteLLMOperation, fields: Record<string, string>): string {
  let last = "";
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== "string" || value.trim() === "") {
      invalidInput(operation, `${name} must be a non-empty string`);
    }
    last = value;
  }
  return last;
}
