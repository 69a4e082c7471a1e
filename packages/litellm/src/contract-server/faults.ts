/**
 * Fault injection for the contract server: added latency, the next N calls failing with a
 * chosen status, and the proxy going down. "Down" has two modes because they fail
 * differently on the client side and both happen in production:
 * - `destroy`: the port still accepts connections but every LiteLLM request has its socket
 *   destroyed (the client sees a reset / "other side closed"). Control endpoints keep
 *   working, so a separate process can bring the server back over HTTP.
 * - `refuse`: the listener is closed and open connections are dropped (ECONNREFUSED), like a
 *   stopped process. Nothing answers, control endpoints included, until `up()` — or the
 *   `forMs` timer — reopens the same port.
 */

export type DownMode = "destroy" | "refuse";

export interface FailNextRule {
  remaining: number;
  status: number;
  /** Only requests to this exact path consume the rule; null matches every LiteLLM path. */
  path: string | null;
}

export interface FaultStatus {
  latencyMs: number;
  failNext: FailNextRule[];
  down: DownMode | null;
}

export interface DownOptions {
  mode?: DownMode;
  /** Come back up by itself after this long. */
  forMs?: number;
}

export interface ListenerControl {
  close(): Promise<void>;
  open(): Promise<void>;
}

const MAX_LATENCY_MS = 10 * 60_000;

export class ContractFaults {
  #latencyMs = 0;
  #rules: FailNextRule[] = [];
  #down: DownMode | null = null;
  #upTimer: NodeJS.Timeout | undefined;
  readonly #listener: ListenerControl;

  constructor(listener: ListenerControl) {
    this.#listener = listener;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  get downMode(): DownMode | null {
    return this.#down;
  }

  /** Delay applied to every LiteLLM request before it is handled (0 = none). */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_LATENCY_MS) {
      throw new RangeError(`latency must be between 0 and ${MAX_LATENCY_MS} ms`);
    }
    this.#latencyMs = ms;
  }

  /**
   * The next `count` LiteLLM requests (optionally only those to `path`) answer `status`
   * with a LiteLLM-shaped error body and have no effect. Rules queue in order.
   */
  failNext(count: number, status = 500, options: { path?: string } = {}): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError("count must be a positive integer");
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError("status must be an HTTP error status (400-599)");
    }
    this.#rules.push({ remaining: count, status, path: options.path ?? null });
  }

  /** Consumes one matching fail-next rule; returns the status to answer, if any. */
  takeFailure(path: string): number | undefined {
    const index = this.#rules.findIndex((r) => r.path === null || r.path === path);
    const rule = this.#rules[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.#rules.splice(index, 1);
    return rule.status;
  }

  async down(options: DownOptions = {}): Promise<void> {
    const mode = options.mode ?? "destroy";
    if (options.forMs !== undefined && (!Number.isFinite(options.forMs) || options.forMs <= 0)) {
      throw new RangeError("forMs must be a positive number");
    }
    if (this.#down !== null) await this.up();
    this.#down = mode;
    if (mode === "refuse") await this.#listener.close();
    if (options.forMs !== undefined) {
      this.#upTimer = setTimeout(() => void this.up().catch(() => undefined), options.forMs);
      this.#upTimer.unref();
    }
  }

  async up(): Promise<void> {
    clearTimeout(this.#upTimer);
    this.#upTimer = undefined;
    const wasRefusing = this.#down === "refuse";
    this.#down = null;
    if (wasRefusing) await this.#listener.open();
  }

  /** No latency, no pending failures, up. */
  async reset(): Promise<void> {
    this.#latencyMs = 0;
    this.#rules = [];
    await this.up();
  }

  /** Stops the auto-up timer without reopening anything (server shutdown). */
  dispose(): void {
    clearTimeout(this.#upTimer);
    this.#upTimer = undefined;
  }

  status(): FaultStatus {
    return {
      latencyMs: this.#latencyMs,
      failNext: this.#rules.map((r) => ({ ...r })),
      down: this.#down,
    };
  }
}
