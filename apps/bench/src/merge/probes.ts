/** What the merge benchmark measures besides time: CPU profiles and the statements sent. */
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import pg from "pg";
import type { ContractThread } from "../contract-thread.ts";

/**
 * BENCH_CPU_PROF=<dir>: V8 CPU profiles of one phase only, for `pnpm bench cpu-split`: the
 * main thread (the worker, or the floor's bare loop) to <dir>/<name>.cpuprofile and the
 * contract server's thread to <dir>/<name>-contract.cpuprofile. The profiles sample wall
 * time: on a loaded machine a thread waiting for a core counts where it was preempted.
 */
export async function startProfile<R extends { type: string }>(
  dir: string | undefined,
  litellm: ContractThread<R>,
): Promise<{ stop(name: string): Promise<void> } | null> {
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  await litellm.call({ type: "profile" });
  return {
    async stop(name) {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      await litellm.call({ type: "profile", file: path.join(dir, `${name}-contract.cpuprofile`) });
    },
  };
}

/**
 * Counts the statements every pg client of this process sends (Prisma's adapter and our
 * SQL share the one `pg`), by their first two words, until stop().
 */
export function countQueries(): { stop(): { total: number; byKind: Record<string, number> } } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const byKind: Record<string, number> = {};
  proto.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0];
    const text =
      typeof config === "string"
        ? config
        : typeof config === "object" && config !== null && "text" in config
          ? String(config.text)
          : "?";
    const kind = text.trim().split(/\s+/).slice(0, 2).join(" ");
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    return original.apply(this, args);
  };
  return {
    stop() {
      proto.query = original;
      return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
    },
  };
}
