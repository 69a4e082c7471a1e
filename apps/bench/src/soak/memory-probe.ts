/**
 * Preloaded into the soak benchmark's API child (`node --expose-gc --import tsx --import
 * <this file> src/main.ts`): prints the process's memory as one `SOAK_MEM {json}` line on
 * stdout every SOAK_SAMPLE_MS, and on SIGUSR2 collects garbage first (when --expose-gc)
 * and prints a sample tagged "gc", so "before" and "after" compare live heap, not garbage.
 * Nothing in the API itself changes for the measurement.
 */
import { loadBenchConfig } from "../config.ts";

const everyMs = loadBenchConfig().soakSampleMs;
const started = Date.now();

function sample(tag: "tick" | "gc"): void {
  const m = process.memoryUsage();
  const record = {
    tag,
    t: Date.now() - started,
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
  };
  process.stdout.write(`SOAK_MEM ${JSON.stringify(record)}\n`);
}

setInterval(() => sample("tick"), everyMs).unref();
process.on("SIGUSR2", () => {
  (globalThis as { gc?: () => void }).gc?.();
  sample("gc");
});
