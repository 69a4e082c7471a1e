/**
 * `pnpm bench <name> [options]`: the shipped benchmarks. Each prints one JSON line per
 * case so runs can be compared; figures go into docs/benchmarks.md, not into timed tests.
 * Each benchmark module exports `run(args)`, loaded only when asked for.
 */
interface Bench {
  describe: string;
  load: () => Promise<{ run(args: string[]): Promise<void> }>;
}

const benches: Record<string, Bench> = {
  "teams-list": {
    describe: "teams.list through the HTTP API vs the raw-SQL floor and the LiteLLM v2 strategy",
    load: () => import("./teams-list.ts"),
  },
  merge: {
    describe: "merge 10k+10k keys / 5k members: transaction time and LiteLLM sync vs the ideal",
    load: () => import("./merge.ts"),
  },
  reconcile: {
    describe:
      "reconcile a region of 100k keys against the proxy at 5 ms per call: wall time, peak memory",
    load: () => import("./reconcile.ts"),
  },
  "spend-sync": {
    describe:
      "one spend sync of a region with 100k teams (--million: 1M) on the proxy: wall time, peak memory",
    load: () => import("./spend-sync.ts"),
  },
  alerts: {
    describe:
      "one budget-alert evaluation after a sync that changed 10k of 1M teams: time, memory, EXPLAIN",
    load: () => import("./alerts.ts"),
  },
  "cpu-split": {
    describe:
      "where a server's CPU went (HTTP, tRPC, zod, Prisma, pg, ours) from a --cpu-prof profile",
    load: () => import("./cpu-split.ts"),
  },
  "sign-in": {
    describe: "password sign-in (auth.login) vs the SSO callback (/auth/sso/callback): p50/p99",
    load: () => import("./sign-in.ts"),
  },
  soak: {
    describe: "60 s realistic mix at 32 clients: throughput, p50/p99, errors, API memory trend",
    load: () => import("./soak.ts"),
  },
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2).filter((a) => a !== "--");
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    console.log("usage: pnpm bench <name> [options]\n");
    for (const [key, b] of Object.entries(benches))
      console.log(`  ${key.padEnd(12)} ${b.describe}`);
    process.exit(name ? 2 : 0);
  }
  await (await bench.load()).run(args);
}

void main();
