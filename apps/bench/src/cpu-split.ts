/**
 * `pnpm bench cpu-split <file.cpuprofile | dir> [...]`: where a server's CPU went, from a V8 CPU
 * profile (`node --cpu-prof`; the teams-list bench writes one per server with
 * BENCH_CPU_PROF=<dir>). Each sample's time is charged to the innermost frame that
 * belongs to a known layer (HTTP, tRPC, zod, Prisma, pg, ours), so time spent in Node's
 * own helpers (JSON, crypto, timers) called by a layer counts for that layer; frames of no
 * layer at all (GC, the event loop, idle) are shown apart. Prints one JSON line per file.
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Layer = "http" | "trpc" | "zod" | "prisma" | "pg" | "ours" | "node" | "gc" | "idle" | "other";

/** The layer a frame belongs to, or null for a frame to look through (Node internals). */
function layerOf(frame: ProfileNode["callFrame"]): Layer | null {
  const url = frame.url;
  if (frame.functionName === "(garbage collector)") return "gc";
  if (frame.functionName === "(idle)") return "idle";
  if (frame.functionName === "(program)") return "other";
  if (/node_modules\/(\.pnpm\/)?.*(hono|@hono)/.test(url)) return "http";
  if (/node_modules\/.*@trpc/.test(url)) return "trpc";
  if (/node_modules\/.*\/zod\//.test(url)) return "zod";
  if (/node_modules\/.*(@prisma|\.prisma|generated\/prisma)|src\/generated\/prisma/.test(url))
    return "prisma";
  if (/node_modules\/.*\/(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-[a-z]+)\//.test(url))
    return "pg";
  if (/node_modules\/.*(pino|sonic-boom|thread-stream)/.test(url)) return "ours"; // logging is ours to tune
  if (/node_modules\/.*tsx/.test(url)) return "other";
  if (/(apps|packages)\/[^/]+\/src\//.test(url) && !url.includes("node_modules")) return "ours";
  // Sockets and streams are looked through: a socket write is charged to whoever wrote
  // (node:http's response, or pg's query), not lumped into HTTP.
  if (url.startsWith("node:internal/http") || url.startsWith("node:_http")) return "http";
  return null;
}

export function split(profile: Profile): Record<Layer, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerCache = new Map<number, Layer>();
  const resolve = (id: number): Layer => {
    const cached = layerCache.get(id);
    if (cached) return cached;
    let at: number | undefined = id;
    let layer: Layer = "node";
    while (at !== undefined) {
      const found = layerOf(byId.get(at)!.callFrame);
      if (found) {
        layer = found;
        break;
      }
      at = parent.get(at);
    }
    layerCache.set(id, layer);
    return layer;
  };
  const totals: Record<Layer, number> = {
    http: 0,
    trpc: 0,
    zod: 0,
    prisma: 0,
    pg: 0,
    ours: 0,
    node: 0,
    gc: 0,
    idle: 0,
    other: 0,
  };
  profile.samples.forEach((id, i) => {
    totals[resolve(id)] += profile.timeDeltas[i] ?? 0;
  });
  return totals;
}

/** Files given, or in a directory given the busiest profile (the main thread's). */
function pickFiles(args: string[]): string[] {
  return args.map((arg) => {
    if (!fs.statSync(arg).isDirectory()) return arg;
    const files = fs
      .readdirSync(arg)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => path.join(arg, f));
    const busy = (f: string) => {
      const totals = split(JSON.parse(fs.readFileSync(f, "utf8")) as Profile);
      return totals.http + totals.trpc + totals.pg + totals.ours;
    };
    return files.sort((a, b) => busy(b) - busy(a))[0] ?? arg;
  });
}

export function run(args: string[]): Promise<void> {
  if (args.length === 0)
    throw new Error("usage: pnpm bench cpu-split <file.cpuprofile | dir> [...]");
  for (const file of pickFiles(args)) {
    const totals = split(JSON.parse(fs.readFileSync(file, "utf8")) as Profile);
    const busy = Object.entries(totals)
      .filter(([k]) => k !== "idle")
      .reduce((a, [, v]) => a + v, 0);
    const pct = Object.fromEntries(
      Object.entries(totals)
        .filter(([k]) => k !== "idle")
        .map(([k, v]) => [k, Math.round((v / Math.max(1, busy)) * 1000) / 10]),
    );
    console.log(
      JSON.stringify({
        file,
        busyMs: Math.round(busy / 1000),
        idleMs: Math.round(totals.idle / 1000),
        percentOfBusy: pct,
      }),
    );
  }
  return Promise.resolve();
}
