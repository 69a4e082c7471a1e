/**
 * A TCP proxy to put between the API's connection pool and the database, to play the
 * database restarting under load:
 * - `cut()`     destroys every open connection (the server process died or restarted);
 * - `refuse()`  also stops listening, so new connections are refused (it is down);
 * - `stall()`   accepts new connections but never forwards them (a hung or partitioned
 *               server: only the pool's connection timeout ends the wait);
 * - `freeze()`  stops forwarding on open connections without closing them, and stalls new
 *               ones (a frozen server, or a partition that sends no reset);
 * - `restore()` listens and forwards again, on the same port.
 */
import net from "node:net";

export type ProxyMode = "up" | "stalled" | "refusing" | "frozen";

export interface FaultProxy {
  readonly port: number;
  readonly mode: ProxyMode;
  /** Connections accepted since start (to prove the pool reconnected). */
  readonly accepted: number;
  /** The database URL with host and port swapped for the proxy's. */
  url(databaseUrl: string): string;
  cut(): void;
  refuse(): Promise<void>;
  stall(): Promise<void>;
  freeze(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  let mode: ProxyMode = "up";
  let accepted = 0;

  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A cut connection errors on both sides; that is the point, not a test failure.
    socket.on("error", () => socket.destroy());
  };

  const onConnection = (client: net.Socket): void => {
    accepted++;
    track(client);
    if (mode === "stalled" || mode === "frozen") return; // held open, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.on("close", () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on("close", () => client.destroy());
  };

  let server = net.createServer(onConnection);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const destroyAll = (): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    pairs.clear();
  };

  const port = await listen(0);
  return {
    port,
    get mode() {
      return mode;
    },
    get accepted() {
      return accepted;
    },
    url(databaseUrl) {
      const parsed = new URL(databaseUrl);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    cut() {
      destroyAll();
    },
    async refuse() {
      mode = "refusing";
      // Stop accepting first, then cut: server.close() waits for open connections (an idle
      // pooled one would hold it until the pool's idle timeout).
      const stopped = stopListening();
      destroyAll();
      await stopped;
    },
    async stall() {
      destroyAll();
      mode = "stalled";
      if (!server.listening) {
        server = net.createServer(onConnection);
        await listen(port);
      }
    },
    freeze() {
      mode = "frozen";
      // Bytes in either direction now go nowhere; the sockets stay open.
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async restore() {
      destroyAll();
      mode = "up";
      if (!server.listening) {
        server = net.createServer(onConnection);
        await listen(port);
      }
    },
    async close() {
      const stopped = stopListening();
      destroyAll();
      await stopped;
    },
  };
}

/** Host and port of a postgresql:// URL. */
export function hostPort(databaseUrl: string): { host: string; port: number } {
  const parsed = new URL(databaseUrl);
  return { host: parsed.hostname || "127.0.0.1", port: Number(parsed.port || 5432) };
}
