/**
 * Watching the changes that can end a session or change what its user may do. Triggers
 * (migration 20261129030000_auth_change_notify) announce each one on one channel when its
 * transaction commits, whoever made it; a watcher holds one dedicated connection that
 * LISTENs there and says whether it is live, so a cache of session lookups is only ever used
 * while every change reaches it.
 */
import crypto from "node:crypto";
import pg from "pg";
import type { Database } from "../client.ts";

export const AUTH_CHANGES_CHANNEL = "gatehouse_auth";
const SYNC_PREFIX = "sync:";

export interface AuthChangeHandlers {
  /** A change committed: the user's id, or null for "anyone" (a truncation). */
  changed(userId: string | null): void;
  /**
   * The watch started (true) or stopped (false) hearing every change. Changes made while it
   * was not live are never delivered: whatever was cached before must be dropped then.
   */
  live(on: boolean): void;
}

export interface AuthChangeWatch {
  /** Whether changes are being heard now. */
  readonly live: boolean;
  /**
   * Resolves once every change committed before the call has been delivered (a marker sent
   * through the same channel comes back after them: notifications arrive in commit order).
   * Resolves at once when not live; gives up after `timeoutMs`.
   */
  sync(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface AuthChangeWatchOptions {
  /** Delay before reconnecting a lost watch; doubles up to `maxRetryMs`. Default 500 ms. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * Starts watching on a connection of its own, made like the pool's. Never live on the
 * embedded PGlite: its socket server runs every connection on one backend, where a
 * notification is not reliably routed to the connection that listens.
 */
export function watchAuthChanges(
  db: Pick<Database, "pool">,
  handlers: AuthChangeHandlers,
  options: AuthChangeWatchOptions = {},
): AuthChangeWatch {
  const { pool } = db;
  const retryMs = options.retryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let delay = retryMs;
  let timer: NodeJS.Timeout | null = null;
  const waiting = new Map<string, () => void>();

  const setLive = (on: boolean) => {
    if (live === on) return;
    live = on;
    if (!on) for (const done of waiting.values()) done();
    handlers.live(on);
  };

  const lost = (current: pg.Client) => {
    if (client !== current) return;
    client = null;
    setLive(false);
    current.end().catch(() => {});
    if (closed) return;
    timer = setTimeout(connect, delay);
    timer.unref();
    delay = Math.min(delay * 2, maxRetryMs);
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    const { connectionString, host, port, user, password, database, ssl, connectionTimeoutMillis } =
      pool.options;
    const current = new pg.Client({
      connectionString,
      host,
      port,
      user,
      password,
      database,
      ssl,
      application_name: "gatehouse-auth-watch",
      // A server that takes the connection but never answers must not leave the watch
      // waiting forever: it is not live meanwhile (safe), but it would never retry.
      connectionTimeoutMillis: connectionTimeoutMillis || 10_000,
      query_timeout: 10_000,
      // A peer that vanishes without a reset is noticed by TCP keepalive, not never.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client = current;
    current.on("error", () => lost(current));
    current.on("end", () => lost(current));
    current.on("notification", (message) => {
      if (message.channel !== AUTH_CHANGES_CHANNEL) return;
      const payload = message.payload ?? "";
      if (payload.startsWith(SYNC_PREFIX)) {
        waiting.get(payload.slice(SYNC_PREFIX.length))?.();
        return;
      }
      handlers.changed(payload === "" ? null : payload);
    });
    void (async () => {
      try {
        await current.connect();
        const { rows } = await current.query<{ v: string }>("SELECT version() AS v");
        if (/PGlite/i.test(rows[0]?.v ?? "PGlite")) {
          // Stay off for good (see above), without retrying.
          client = null;
          await current.end();
          return;
        }
        await current.query(`LISTEN ${AUTH_CHANGES_CHANNEL}`);
        if (client !== current) return;
        delay = retryMs;
        setLive(true);
      } catch {
        lost(current);
      }
    })();
  };

  connect();

  return {
    get live() {
      return live;
    },
    async sync(timeoutMs = 5_000) {
      if (!live) return;
      const id = crypto.randomUUID();
      const arrived = new Promise<void>((resolve) => {
        const timeout = setTimeout(resolve, timeoutMs).unref();
        waiting.set(id, () => {
          clearTimeout(timeout);
          resolve();
        });
      });
      try {
        await pool.query("SELECT pg_notify($1, $2)", [AUTH_CHANGES_CHANNEL, SYNC_PREFIX + id]);
        await arrived;
      } finally {
        waiting.delete(id);
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      setLive(false);
      await current?.end().catch(() => {});
    },
  };
}
