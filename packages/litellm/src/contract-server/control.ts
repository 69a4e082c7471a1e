/**
 * The `/__control/*` endpoints: another process (the demo, browser tests) drives faults,
 * sets reported spend and reads state. Unauthenticated and CORS-enabled: the contract
 * server holds no real data and binds to loopback unless told otherwise.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ContractFaults, DownMode } from "./faults.ts";
import { corsHeaders, parseJson, readBody, send } from "./http-io.ts";
import type { ContractState } from "./state.ts";

const zSpend = z.object({
  teams: z
    .array(
      z.object({
        teamId: z.string(),
        spend: z.number().nonnegative(),
        maxBudget: z.number().nonnegative().nullable().optional(),
        budgetResetAt: z.iso.datetime().nullable().optional(),
      }),
    )
    .optional(),
  /** `key` is the secret or the token id. */
  keys: z.array(z.object({ key: z.string(), spend: z.number().nonnegative() })).optional(),
  /** A member's spend inside a team (needs a budget row from /team/member_update). */
  members: z
    .array(z.object({ teamId: z.string(), userId: z.string(), spend: z.number().nonnegative() }))
    .optional(),
});
/** Rows of LiteLLM_DailyTeamSpend to add (the team's counted spend is set separately). */
const zDailySpend = z.object({
  rows: z.array(
    z.object({
      teamId: z.string(),
      date: z.iso.date(),
      apiKey: z.string().default(""),
      model: z.string().default("gpt-4o-mini"),
      customLlmProvider: z.string().default("openai"),
      spend: z.number().nonnegative(),
      promptTokens: z.number().int().nonnegative().default(0),
      completionTokens: z.number().int().nonnegative().default(0),
      apiRequests: z.number().int().nonnegative().default(0),
      successfulRequests: z.number().int().nonnegative().default(0),
      failedRequests: z.number().int().nonnegative().default(0),
    }),
  ),
});
/** `now` fixes the proxy's clock (key expiry, budget resets); null: the wall clock again. */
const zClock = z.object({ now: z.iso.datetime().nullable() });
/** Runs the budget reset job once, at `at` (default: the proxy's clock). */
const zResetBudgets = z.object({ at: z.iso.datetime().optional() });
const zLatency = z.object({ ms: z.number().min(0) });
const zFailNext = z.object({
  count: z.number().int().min(1),
  status: z.number().int().min(400).max(599).optional(),
  path: z.string().startsWith("/").optional(),
});
const zDown = z.object({
  mode: z.enum(["destroy", "refuse"]).optional(),
  forMs: z.number().positive().optional(),
});

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  { state, faults }: { state: ContractState; faults: ContractFaults },
): Promise<void> {
  const reply = (status: number, body: unknown): void => send(res, status, body, corsHeaders);
  if (req.method === "OPTIONS") {
    res.writeHead(204, corsHeaders);
    res.end();
    return;
  }
  const parsedJson = parseJson(await readBody(req));
  const body: unknown = parsedJson.ok ? (parsedJson.value ?? {}) : undefined;
  if (body === undefined) {
    reply(400, { error: "body must be JSON" });
    return;
  }
  const parse = <T>(schema: z.ZodType<T>): T | undefined => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    reply(400, { error: z.prettifyError(result.error) });
    return undefined;
  };
  const done = (): void => reply(200, { ok: true, faults: faults.status() });
  const route = `${req.method ?? "GET"} ${path}`;

  switch (route) {
    case "GET /__control/state":
      reply(200, {
        ...state.snapshot(),
        regenerateCalls: state.regenerateCalls,
        faults: faults.status(),
      });
      return;
    case "GET /__control/requests": {
      const since = Number(new URLSearchParams(query).get("since") ?? "0");
      reply(200, { requests: state.requestsSince(Number.isFinite(since) ? since : 0) });
      return;
    }
    case "POST /__control/latency": {
      const input = parse(zLatency);
      if (!input) return;
      try {
        faults.setLatency(input.ms);
      } catch (error) {
        reply(400, { error: (error as Error).message });
        return;
      }
      done();
      return;
    }
    case "POST /__control/fail-next": {
      const input = parse(zFailNext);
      if (!input) return;
      faults.failNext(
        input.count,
        input.status,
        input.path === undefined ? {} : { path: input.path },
      );
      done();
      return;
    }
    case "POST /__control/down": {
      const input = parse(zDown);
      if (!input) return;
      const mode: DownMode = input.mode ?? "destroy";
      if (mode === "refuse" && input.forMs === undefined) {
        // Nothing could bring it back over HTTP: the control endpoints stop answering too.
        reply(400, {
          error: "mode 'refuse' needs forMs over HTTP (use mode 'destroy' or set forMs)",
        });
        return;
      }
      const downOptions = input.forMs === undefined ? { mode } : { mode, forMs: input.forMs };
      if (mode === "refuse") {
        // Answer first: going down closes this very connection.
        res.once("finish", () => void faults.down(downOptions).catch(() => undefined));
        reply(200, { ok: true, faults: { ...faults.status(), down: mode } });
        return;
      }
      await faults.down(downOptions);
      done();
      return;
    }
    case "POST /__control/up":
      await faults.up();
      done();
      return;
    case "POST /__control/spend": {
      // What the proxy reports as counted spend (no model traffic flows through this server).
      const input = parse(zSpend);
      if (!input) return;
      const missing: string[] = [];
      for (const team of input.teams ?? []) {
        const { teamId, ...spend } = team;
        if (!state.setTeamSpend(teamId, spend)) missing.push(teamId);
      }
      for (const key of input.keys ?? []) {
        if (!state.setKeySpend(key.key, key.spend)) missing.push(key.key);
      }
      for (const member of input.members ?? []) {
        if (!state.setMemberSpend(member.teamId, member.userId, member.spend))
          missing.push(`${member.teamId}/${member.userId}`);
      }
      if (missing.length > 0) {
        reply(404, { error: `unknown teams or keys: ${missing.join(", ")}` });
        return;
      }
      done();
      return;
    }
    case "POST /__control/daily-spend": {
      const input = parse(zDailySpend);
      if (!input) return;
      state.addDailyTeamSpend(input.rows);
      done();
      return;
    }
    case "POST /__control/clock": {
      const input = parse(zClock);
      if (!input) return;
      const fixed = input.now;
      state.clock = fixed === null ? () => new Date() : () => new Date(fixed);
      reply(200, { ok: true, now: state.clock().toISOString() });
      return;
    }
    case "POST /__control/reset-budgets": {
      const input = parse(zResetBudgets);
      if (!input) return;
      reply(200, state.runBudgetReset(input.at ? new Date(input.at) : state.clock()));
      return;
    }
    case "POST /__control/reset":
      state.reset();
      await faults.reset();
      done();
      return;
    default:
      reply(404, { error: `unknown control endpoint: ${route}` });
  }
}
