/**
 * The merge suites' world: one harness with two LiteLLM contract servers (two regions) over
 * real HTTP and a real job worker, an organization and a system admin, and the helpers that
 * make teams, members and keys and read back what a merge did. Importing it registers the
 * hooks that start and stop that world for the importing file.
 */
import { litellmKeyAlias } from "@gatehouse/core";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, afterEach, beforeAll } from "vitest";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

export interface CreatedKey {
  id: string;
  name: string;
  secret: string;
  /** LiteLLM's key id (sha256 of the secret). */
  token: string;
}
export type Role = "ADMIN" | "MEMBER" | "KEY_CREATOR" | "READ_ONLY";

export let h: SyncHarness;
export let us: ContractServer;
export let usRegion: { id: string; name: string };
export let orgId: string;
export let admin: { id: string; creds: Credentials };
let seq = 0;

/** `<region name, spaces as _>_<team id>`, spelled out here so the format itself is tested. */
export const euTeam = (teamId: string) => `eu_west_${teamId}`;
export const usTeam = (teamId: string) => `us-east_2_${teamId}`;
/** The alias Gatehouse gives a key of this name in this LiteLLM team. */
export const alias = (litellmTeam: string, name: string) => litellmKeyAlias(litellmTeam, name);

beforeAll(async () => {
  // Both proxies are open-source LiteLLM (no Enterprise licence): no team admins there.
  h = await startHarness({ litellm: { regionName: "eu west", profile: "oss" } });
  ({ litellm: us, region: usRegion } = await h.addRegion("us-east 2"));
  orgId = await fx.insertOrganization(h.db, "Merge Org");
  admin = await fx.insertUserWithSession(h, { email: "admin@merge.test", isSystemAdmin: true });
});
afterAll(() => h?.close());
afterEach(() => h.resetFaults());

/* ---------------------------------------------------------------- fixtures and helpers */

export const team = (name: string, organizationId: string | null = orgId) =>
  fx.insertTeam(h.db, { name, organizationId });

export async function user(
  label: string,
  memberships: Array<[teamId: string, role: Role]> = [],
): Promise<{ id: string; creds: Credentials }> {
  const u = await fx.insertUserWithSession(h, { email: `${label}-${++seq}@merge.test` });
  for (const [teamId, role] of memberships) await fx.addTeamMember(h.db, teamId, u.id, role);
  return u;
}

/** A key made the way users make them: keys.create through the API (row + LiteLLM). */
export async function key(
  teamId: string,
  name: string,
  by: Credentials = admin.creds,
  regionId = h.region.id,
): Promise<CreatedKey> {
  const created = await h.mutationOk<Out<"keys.create">>(
    "keys.create",
    { teamId, name, regionId },
    by,
  );
  const server = regionId === usRegion.id ? us : h.litellm;
  return {
    id: created.key.id,
    name,
    secret: created.secret,
    token: server.state.getKey(created.secret)!.token,
  };
}

export interface MergeInput {
  sourceTeamId: string;
  targetTeamId: string;
  strategy: "cancel" | "delete" | "rename";
  renameSuffix?: string;
  allowCrossOrganization?: boolean;
}
export const preview = (input: MergeInput, credentials: Credentials = admin.creds) =>
  h.query<Out<"teams.mergePreview">>("teams.mergePreview", input, { credentials });
export const merge = (input: MergeInput, credentials: Credentials = admin.creds) =>
  h.mutation<Out<"teams.merge">>("teams.merge", input, { credentials });
export const status = (mergeId: string) =>
  h.queryOk<Out<"teams.mergeStatus">>("teams.mergeStatus", { mergeId }, admin.creds);

export const keysOf = async (teamId: string) =>
  (
    await h.db.prisma.apiKey.findMany({
      where: { teamId },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    })
  ).map((k) => k.name);
export const rolesOf = async (teamId: string) =>
  Object.fromEntries(
    (await h.db.prisma.teamMember.findMany({ where: { teamId } })).map((m) => [m.userId, m.role]),
  );

/** Everything a merge could touch, for "nothing changed" checks. */
export async function snapshot(): Promise<unknown> {
  const q = async (sql: string) => (await h.db.pool.query<Record<string, unknown>>(sql)).rows;
  return {
    teams: await q(`SELECT id, name, organization_id, updated_at FROM teams ORDER BY id`),
    members: await q(`SELECT team_id, user_id, role FROM team_members ORDER BY team_id, user_id`),
    keys: await q(
      `SELECT id, name, team_id, region_id, litellm_key_id, updated_at FROM api_keys ORDER BY id`,
    ),
    jobs: await q(`SELECT id, kind, merge_id FROM jobs ORDER BY id`),
    audit: await q(`SELECT id, action FROM audit_events ORDER BY id`),
    merges: await q(`SELECT id FROM team_merges ORDER BY id`),
    products: await q(`SELECT id, team_id, status FROM team_products ORDER BY id`),
    // The LiteLLM side too, including its request count: a refused merge calls nobody.
    litellm: [h.litellm.state.snapshot(), us.state.snapshot()],
  };
}

/** Runs the worker until every job is DONE, making backoff retries due (no sleeping). */
export async function syncAll(maxRounds = 12): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    await h.drain();
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE status <> 'DONE'`,
    );
    if (rows[0]!.n === 0) return;
    // Failed attempts wait an exponential backoff (1 s, 2 s, 4 s...); tests do not sleep
    // through it, they make the retry due now, which is what the backoff timer would do.
    await makeRetriesDue();
  }
  throw new Error("jobs did not converge");
}
export const makeRetriesDue = () =>
  h.db.pool.query(`UPDATE jobs SET run_at = now() WHERE status = 'PENDING'`);

export const litellmKey = (server: ContractServer, token: string) => server.state.keys.get(token);

/* ------------------------------------------------------------------------------ success */

export function isRunning(): boolean {
  try {
    return h.worker !== undefined;
  } catch {
    return false;
  }
}
