/**
 * Child process: the floor. A bare node:http handler that does what teams.list must do
 * and nothing else: check the session cookie (same SQL), build the same plan, run the
 * same hand-written SQL through `pg`, and write JSON. No tRPC, no zod, no Hono.
 */
import http from "node:http";
import { decodeCursor, defaultSessionPolicy, isTeamExpired, planTeamList } from "@gatehouse/core";
import { createDatabase, DEFAULT_TOTAL_CAP, listTeams } from "@gatehouse/db";
import { resolveSession } from "@gatehouse/api";
import { loadBenchConfig } from "../config.ts";

const config = loadBenchConfig();
const db = createDatabase({ url: config.databaseUrl!, poolMax: config.poolMax });

const server = http.createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? "/", "http://x");
    const token = /gh_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const now = new Date();
    const session = token ? await resolveSession(db, token, now, defaultSessionPolicy) : null;
    if (!session) {
      res.writeHead(401).end();
      return;
    }
    const input = JSON.parse(url.searchParams.get("input") ?? "{}") as Record<string, unknown>;
    const pageSize = (input.pageSize as number | undefined) ?? 25;
    const page = (input.page as number | undefined) ?? 1;
    const plan = planTeamList(session.actor, {
      organizationId: input.organizationId as string | undefined,
      userId: input.userId as string | undefined,
    });
    const cursor =
      typeof input.cursor === "string"
        ? decodeCursor(input.cursor, { sortBy: "createdAt", sortOrder: "desc" })
        : null;
    const result = await listTeams(db.pool, {
      plan,
      filters: {
        name: input.name as string | undefined,
        search: input.search as string | undefined,
      },
      sortBy: "createdAt",
      sortOrder: "desc",
      pageSize,
      offset: (page - 1) * pageSize,
      after: cursor ? { value: cursor.value, id: cursor.id } : null,
      now,
      expiryGraceDays: 30,
      totalCap: DEFAULT_TOTAL_CAP,
    });
    const items = result.rows.map((r) => ({
      ...r,
      expired: isTeamExpired(
        {
          alwaysFree: r.alwaysFree,
          hasActiveProduct: r.activeProducts.length > 0,
          lastPaymentAt: r.lastPaymentAt,
          createdAt: r.createdAt,
        },
        now,
      ),
    }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ result: { data: { items, total: result.total } } }));
  })().catch((error: unknown) => {
    console.error(error);
    res.writeHead(500).end();
  });
});
server.listen(config.port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`READY ${typeof address === "object" && address ? address.port : 0}`);
});

// Exit normally on SIGTERM so a --cpu-prof profile is written.
process.on("SIGTERM", () => process.exit(0));
