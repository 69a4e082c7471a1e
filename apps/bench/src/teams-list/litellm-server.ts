/**
 * Child process: LiteLLM's /v2/team/list strategy on the same data, as a reference.
 * Offset paging over the team rows themselves (`SELECT *`, with the members JSON column),
 * an exact count(*) per request, member counts by loading each team's member list, and a
 * non-admin scope written as one `organization_id IN (...) OR team_id IN (...)`.
 */
import http from "node:http";
import { createDatabase } from "@gatehouse/db";
import { resolveSession } from "@gatehouse/api";
import { defaultSessionPolicy } from "@gatehouse/core";
import { loadBenchConfig } from "../config.ts";

const config = loadBenchConfig();
const db = createDatabase({ url: config.databaseUrl!, poolMax: config.poolMax });

interface Row {
  team_id: string;
  team_alias: string;
  organization_id: string | null;
  created_at: Date;
  members_with_roles: Array<{ user_id: string; role: string }>;
}

const server = http.createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? "/", "http://x");
    const token = /gh_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const session = token
      ? await resolveSession(db, token, new Date(), defaultSessionPolicy)
      : null;
    if (!session) {
      res.writeHead(401).end();
      return;
    }
    const input = JSON.parse(url.searchParams.get("input") ?? "{}") as Record<string, unknown>;
    const pageSize = (input.pageSize as number | undefined) ?? 25;
    const page = (input.page as number | undefined) ?? 1;
    const params: unknown[] = [];
    const where: string[] = [];
    const actor = session.actor;
    if (!actor.isSystemAdmin) {
      // LiteLLM reads the caller's team list from the user row, then ORs the scopes.
      const mine = (
        await db.pool.query<{ team_id: string }>(
          `SELECT team_id::text FROM team_members WHERE user_id = $1::uuid`,
          [actor.kind === "user" ? actor.userId : null],
        )
      ).rows.map((r) => r.team_id);
      params.push(actor.adminOrgIds, mine);
      where.push(`(organization_id = ANY($1::uuid[]) OR team_id = ANY($2::uuid[]))`);
    }
    const search = (input.name ?? input.search) as string | undefined;
    if (search) {
      params.push(`%${search}%`);
      where.push(`team_alias ILIKE $${params.length}`);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const [rows, count] = await Promise.all([
      db.pool.query<Row>(
        `SELECT * FROM bench_litellm_teams ${clause} ORDER BY created_at DESC OFFSET ${(page - 1) * pageSize} LIMIT ${pageSize}`,
        params,
      ),
      db.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM bench_litellm_teams ${clause}`,
        params,
      ),
    ]);
    const items = rows.rows.map((r) => ({
      team_id: r.team_id,
      team_alias: r.team_alias,
      organization_id: r.organization_id,
      created_at: r.created_at,
      members_count: r.members_with_roles.length,
    }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        teams: items,
        total: Number(count.rows[0]?.n ?? 0),
        page,
        page_size: pageSize,
      }),
    );
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
