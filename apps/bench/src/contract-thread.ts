/**
 * A LiteLLM contract server on a worker thread, for the benchmarks that measure Gatehouse's
 * calls to LiteLLM (merge, reconcile, spend-sync): on its own thread it does not share the
 * event loop it is measuring. The main thread sends requests (fill the proxy's state, set
 * its latency, count something, stop) and gets one number back for each.
 *
 * A benchmark module does both sides: `ContractThread.start(import.meta.url, role)` in the
 * main thread starts a thread that loads the same module, where
 * `serveContractThread(role, ...)` (called at the module's top level) answers.
 */
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import { isMainThread, parentPort, Worker as Thread, workerData } from "node:worker_threads";
import { startContractServer, type ContractServer } from "@gatehouse/litellm/contract-server";

/**
 * The requests every contract thread answers itself; `profile` starts a V8 CPU profile of
 * the thread, or (with a file) stops it and writes it there (BENCH_CPU_PROF).
 */
type CommonRequest =
  { type: "latency"; ms: number } | { type: "stop" } | { type: "profile"; file?: string };

interface Reply {
  id: number;
  url?: string;
  count: number;
}

/** The main thread's handle on the contract server thread: one request, one count back. */
export class ContractThread<R extends { type: string }> {
  #next = 0;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  private constructor(
    private readonly thread: Thread,
    readonly url: string,
  ) {
    thread.on("message", (reply: Reply) => {
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
  }

  /** Starts `moduleUrl` (a benchmark calling serveContractThread(role, ...)) on a thread. */
  static async start<R extends { type: string }>(
    moduleUrl: string,
    role: string,
  ): Promise<ContractThread<R>> {
    // Threads do not inherit tsx's module hooks: the thread registers them, then loads the
    // benchmark module (TypeScript) as its entry point.
    const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
      .then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); })`;
    const thread = new Thread(boot, { eval: true, workerData: { role } });
    const url = await new Promise<string>((resolve, reject) => {
      thread.once("message", (ready: Reply) => resolve(ready.url!));
      thread.once("error", reject);
    });
    return new ContractThread<R>(thread, url);
  }

  call(request: R | CommonRequest): Promise<Reply> {
    const id = ++this.#next;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.thread.postMessage({ id, request });
    });
  }

  async stop(): Promise<void> {
    await this.call({ type: "stop" });
    await this.thread.terminate();
  }
}

/**
 * On the thread started for `role` (and nowhere else): starts the contract server and
 * answers each request, `latency` and `stop` itself, the rest with `handle`'s count.
 */
export function serveContractThread<R extends { type: string }>(
  role: string,
  masterKey: string,
  handle: (server: ContractServer, request: R) => number,
): void {
  if (isMainThread || (workerData as { role?: string } | null)?.role !== role) return;
  void (async () => {
    const server = await startContractServer({ masterKey, port: 0, maxLogEntries: 1_000 });
    const port = parentPort!;
    let profiler: Session | null = null;
    port.postMessage({ id: 0, url: server.url, count: 0 } satisfies Reply);
    port.on("message", ({ id, request }: { id: number; request: R | CommonRequest }) => {
      const reply = (count = 0): void => port.postMessage({ id, count } satisfies Reply);
      if (request.type === "profile") {
        const file = (request as { file?: string }).file;
        void (async () => {
          if (file === undefined) {
            profiler = new Session();
            profiler.connect();
            await profiler.post("Profiler.enable");
            await profiler.post("Profiler.start");
          } else if (profiler) {
            const { profile } = await profiler.post("Profiler.stop");
            profiler.disconnect();
            profiler = null;
            fs.writeFileSync(file, JSON.stringify(profile));
          }
          reply();
        })();
      } else if (request.type === "latency") {
        server.faults.setLatency((request as { ms: number }).ms);
        reply();
      } else if (request.type === "stop") {
        void server.stop().then(() => reply());
      } else {
        reply(handle(server, request as R));
      }
    });
  })();
}
