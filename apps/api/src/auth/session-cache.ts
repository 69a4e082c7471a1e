/**
 * An in-process cache of session lookups: a listing answered from one statement was paying a
 * second round trip (and a second statement on the database) for the caller's session on
 * every request.
 *
 * What makes it safe: it is used only while this process hears every change that can end a
 * session or change what its user may do (a revoke, a disabled user, a changed system-admin
 * flag or org-admin role). Triggers announce each one on commit, whoever makes it
 * (packages/db sessions/auth-changes.ts), and any announced change drops the whole cache; when the
 * watch is lost, the cache is dropped and unused until it is back. Mutations of this process
 * drop it too, synchronously, so a logout is never late on the instance that served it.
 * A change reaches other instances a few milliseconds after its commit, as if their request
 * had read the session just before it. Entries also age out after `maxAgeMs`, bounding the
 * harm of a change made with triggers disabled. A cached session is checked against the clock
 * on every use (core evaluateSession); when it looks expired or due for its sliding-expiry
 * touch, the database is asked again.
 *
 * Never used on the embedded PGlite (the watch is never live there): every lookup reads.
 */
import {
  watchAuthChanges,
  type AuthChangeWatch,
  type Database,
  type SessionFacts,
} from "@gatehouse/db";

export type { SessionFacts };

export interface SessionCacheOptions {
  /** How long an entry may be used at most (milliseconds, > 0). */
  maxAgeMs: number;
  /** Entries kept at most (the oldest go first). Default 10,000. */
  maxEntries?: number;
  /** A monotonic clock in milliseconds (tests). Default performance.now. */
  monotonicMs?: () => number;
}

export class SessionCache {
  readonly #entries = new Map<string, { facts: SessionFacts; at: number }>();
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #live = false;
  /** Bumped by every drop: a lookup that began before one must not store what it read. */
  #generation = 0;

  constructor(options: SessionCacheOptions) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.monotonicMs ?? (() => performance.now());
  }

  /** Whether lookups may be answered from the cache now. */
  get live(): boolean {
    return this.#live;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The facts cached for a token hash, if live and fresh. */
  get(tokenHash: string): SessionFacts | undefined {
    if (!this.#live) return undefined;
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (this.#now() - entry.at > this.#maxAgeMs) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry.facts;
  }

  /** Call before reading the database; hand the answer to `store` with it. */
  begin(): number {
    return this.#generation;
  }

  /** Keeps what a lookup read, unless anything was dropped since it began. */
  store(tokenHash: string, facts: SessionFacts, generation: number): void {
    if (!this.#live || generation !== this.#generation) return;
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(tokenHash)) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(tokenHash, {
      facts: Object.freeze({ ...facts, admin_org_ids: Object.freeze([...facts.admin_org_ids]) }),
      at: this.#now(),
    });
  }

  /**
   * Drops everything. Auth changes are rare next to reads, so one change drops all entries
   * rather than the user's alone: nothing to get wrong about which entries a change touches.
   */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** The watch of auth changes started (true) or stopped (false) hearing every change. */
  setLive(on: boolean): void {
    this.clear();
    this.#live = on;
  }
}

export interface RunningSessionCache {
  cache: SessionCache;
  /** Resolves once every auth change committed before the call has reached the cache. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** A session cache kept current by a watch of auth changes on `db`. */
export function startSessionCache(db: Database, options: SessionCacheOptions): RunningSessionCache {
  const cache = new SessionCache(options);
  const watch: AuthChangeWatch = watchAuthChanges(db, {
    changed: () => cache.clear(),
    live: (on) => cache.setLive(on),
  });
  return {
    cache,
    sync: () => watch.sync(),
    close: () => watch.close(),
  };
}
