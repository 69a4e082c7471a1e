/** The soak mix: what each client loop sends, weighted, and the recorder of its answers. */
import type { Persona } from "../teams-list/personas.ts";
import type { Answer, Trpc } from "./client.ts";

export interface Fixtures {
  personas: Record<Persona["name"], Persona>;
  teamIds: string[];
  userIds: string[];
  fragments: string[];
  homeTeams: string[];
  regionId: string;
  runId: string;
  /** Shared by every loop (warm-up included), so generated names never collide. */
  serial: number;
  /** Operation groups left out (--exclude), e.g. to see what merges cost the rest. */
  exclude: string[];
}

export class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly samplesOfErrors = new Map<string, string>();
  enabled = true;

  async time<T extends Answer>(op: string, call: () => Promise<T>): Promise<T | null> {
    const started = performance.now();
    let answer: T;
    try {
      answer = await call();
    } catch (error) {
      this.fail(op, `transport: ${String(error)}`);
      return null;
    }
    if (!this.enabled) return answer;
    const list = this.latencies.get(op) ?? [];
    list.push(performance.now() - started);
    this.latencies.set(op, list);
    if (answer.status !== 200) this.fail(op, `${answer.status} ${answer.body.slice(0, 300)}`);
    return answer;
  }

  private fail(op: string, what: string): void {
    if (!this.enabled) return;
    this.errors.set(op, (this.errors.get(op) ?? 0) + 1);
    if (!this.samplesOfErrors.has(op)) this.samplesOfErrors.set(op, what);
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** One client's loop: weighted operations until the deadline. */
export async function clientLoop(
  index: number,
  trpc: Trpc,
  f: Fixtures,
  rec: Recorder,
  until: () => boolean,
): Promise<void> {
  const { admin, orgAdmin, member } = f.personas;
  const home = f.homeTeams[index % f.homeTeams.length]!;
  let cursor: string | null = null;
  const serial = () => ++f.serial;
  const ok = (a: Answer | null): boolean => a !== null && a.status === 200;

  const all: Array<[weight: number, run: () => Promise<void>, group: string]> = [
    [
      14,
      async () =>
        void (await rec.time("teams.list p1 admin", () => trpc("query", "teams.list", {}, admin))),
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list offset page admin", () =>
          trpc("query", "teams.list", { page: 2 + Math.floor(Math.random() * 400) }, admin),
        )),
      "list",
    ],
    [
      5,
      async () => {
        if (cursor) {
          const next = await rec.time("teams.list cursor page admin", () =>
            trpc("query", "teams.list", { cursor }, admin),
          );
          cursor = ok(next)
            ? (JSON.parse(next!.body) as { result: { data: { nextCursor: string | null } } }).result
                .data.nextCursor
            : null;
        } else {
          const first = await rec.time("teams.list p1 admin", () =>
            trpc("query", "teams.list", {}, admin),
          );
          cursor = ok(first)
            ? (JSON.parse(first!.body) as { result: { data: { nextCursor: string | null } } })
                .result.data.nextCursor
            : null;
        }
      },
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list name filter admin", () =>
          trpc("query", "teams.list", { name: pick(f.fragments) }, admin),
        )),
      "list",
    ],
    [
      3,
      async () =>
        void (await rec.time("teams.list expired admin", () =>
          trpc("query", "teams.list", { expired: true }, admin),
        )),
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list p1 orgAdmin", () =>
          trpc("query", "teams.list", {}, orgAdmin),
        )),
      "list",
    ],
    [
      4,
      async () =>
        void (await rec.time("teams.list search orgAdmin", () =>
          trpc("query", "teams.list", { search: pick(f.fragments) }, orgAdmin),
        )),
      "list",
    ],
    [
      6,
      async () =>
        void (await rec.time("teams.list p1 member", () =>
          trpc("query", "teams.list", {}, member),
        )),
      "list",
    ],
    [
      15,
      async () =>
        void (await rec.time("teams.get admin", () =>
          trpc("query", "teams.get", { teamId: pick(f.teamIds) }, admin),
        )),
      "get",
    ],
    [
      12,
      async () => {
        const userId = pick(f.userIds);
        const added = await rec.time("teams.addMember", () =>
          trpc("mutation", "teams.addMember", { teamId: home, userId, role: "MEMBER" }, admin),
        );
        if (ok(added))
          await rec.time("teams.removeMember", () =>
            trpc("mutation", "teams.removeMember", { teamId: home, userId }, admin),
          );
      },
      "members",
    ],
    [
      8,
      async () =>
        void (await rec.time("keys.create", () =>
          trpc(
            "mutation",
            "keys.create",
            { teamId: home, name: `k${index}-${serial()}`, regionId: f.regionId },
            admin,
          ),
        )),
      "keys",
    ],
    [
      3,
      async () => {
        const make = (role: string) =>
          rec.time("teams.create", () =>
            trpc(
              "mutation",
              "teams.create",
              { name: `${f.runId} ${role} ${index}-${serial()}` },
              admin,
            ),
          );
        const [source, target] = await Promise.all([make("source"), make("target")]);
        if (!ok(source) || !ok(target)) return;
        const sourceId = (JSON.parse(source!.body) as { result: { data: { id: string } } }).result
          .data.id;
        const targetId = (JSON.parse(target!.body) as { result: { data: { id: string } } }).result
          .data.id;
        const key = await rec.time("keys.create", () =>
          trpc(
            "mutation",
            "keys.create",
            { teamId: sourceId, name: "moving", regionId: f.regionId },
            admin,
          ),
        );
        if (!ok(key)) return;
        await rec.time("teams.merge", () =>
          trpc(
            "mutation",
            "teams.merge",
            { sourceTeamId: sourceId, targetTeamId: targetId, strategy: "rename" },
            admin,
          ),
        );
      },
      "merge",
    ],
  ];
  const operations = all.filter(([, , group]) => !f.exclude.includes(group));
  const total = operations.reduce((n, [w]) => n + w, 0);
  while (until()) {
    let roll = Math.random() * total;
    const op = operations.find(([w]) => (roll -= w) < 0) ?? operations[0]!;
    await op[1]();
  }
}

/* ------------------------------------------------------------------------------ memory */
