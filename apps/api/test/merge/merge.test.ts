/**
 * teams.mergePreview / merge / mergeStatus end to end: HTTP API, real database, two
 * LiteLLM contract servers (two regions) over real HTTP and a real job worker. Covers the
 * seed PR's cases and its review comments (one transaction, nothing half-done, renamed
 * names that still collide, keys of inactive regions, the LiteLLM team-id format), and
 * LiteLLM faults during the sync.
 */
import { isJobKind, isValidKeyName, KEY_NAME_MAX, litellmKeyAlias } from "@gatehouse/core";
import { claimJobs, completeJobs } from "@gatehouse/db";
import { LiteLLMClient } from "@gatehouse/litellm";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runJob } from "../../src/worker/handlers.ts";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

interface CreatedKey {
  id: string;
  name: string;
  secret: string;
  /** LiteLLM's key id (sha256 of the secret). */
  token: string;
}
type Role = "ADMIN" | "MEMBER" | "KEY_CREATOR" | "READ_ONLY";

let h: SyncHarness;
let us: ContractServer;
let usRegion: { id: string; name: string };
let orgId: string;
let admin: { id: string; creds: Credentials };
let seq = 0;

/** `<region name, spaces as _>_<team id>`, spelled out here so the format itself is tested. */
const euTeam = (teamId: string) => `eu_west_${teamId}`;
const usTeam = (teamId: string) => `us-east_2_${teamId}`;
/** The alias Gatehouse gives a key of this name in this LiteLLM team. */
const alias = (litellmTeam: string, name: string) => litellmKeyAlias(litellmTeam, name);

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

const team = (name: string, organizationId: string | null = orgId) =>
  fx.insertTeam(h.db, { name, organizationId });

async function user(
  label: string,
  memberships: Array<[teamId: string, role: Role]> = [],
): Promise<{ id: string; creds: Credentials }> {
  const u = await fx.insertUserWithSession(h, { email: `${label}-${++seq}@merge.test` });
  for (const [teamId, role] of memberships) await fx.addTeamMember(h.db, teamId, u.id, role);
  return u;
}

/** A key made the way users make them: keys.create through the API (row + LiteLLM). */
async function key(
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

interface MergeInput {
  sourceTeamId: string;
  targetTeamId: string;
  strategy: "cancel" | "delete" | "rename";
  renameSuffix?: string;
  allowCrossOrganization?: boolean;
}
const preview = (input: MergeInput, credentials: Credentials = admin.creds) =>
  h.query<Out<"teams.mergePreview">>("teams.mergePreview", input, { credentials });
const merge = (input: MergeInput, credentials: Credentials = admin.creds) =>
  h.mutation<Out<"teams.merge">>("teams.merge", input, { credentials });
const status = (mergeId: string) =>
  h.queryOk<Out<"teams.mergeStatus">>("teams.mergeStatus", { mergeId }, admin.creds);

const keysOf = async (teamId: string) =>
  (
    await h.db.prisma.apiKey.findMany({
      where: { teamId },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    })
  ).map((k) => k.name);
const rolesOf = async (teamId: string) =>
  Object.fromEntries(
    (await h.db.prisma.teamMember.findMany({ where: { teamId } })).map((m) => [m.userId, m.role]),
  );

/** Everything a merge could touch, for "nothing changed" checks. */
async function snapshot(): Promise<unknown> {
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
async function syncAll(maxRounds = 12): Promise<void> {
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
const makeRetriesDue = () =>
  h.db.pool.query(`UPDATE jobs SET run_at = now() WHERE status = 'PENDING'`);

const litellmKey = (server: ContractServer, token: string) => server.state.keys.get(token);

/* ------------------------------------------------------------------------------ success */

describe("teams.merge", () => {
  it("merges with rename: members with the higher role, keys moved and renamed, LiteLLM in step, audit, status", async () => {
    const S = await team("Source Team");
    const T = await team("Target Team");
    const sAdmin = await user("s-admin", [[S, "ADMIN"]]);
    const sCreator = await user("s-creator", [[S, "KEY_CREATOR"]]);
    const up = await user("both-up", [
      [S, "MEMBER"],
      [T, "READ_ONLY"],
    ]);
    const keep = await user("both-keep", [
      [S, "READ_ONLY"],
      [T, "ADMIN"],
    ]);
    const tOnly = await user("t-only", [[T, "MEMBER"]]);
    const alpha = await key(S, "alpha", sAdmin.creds);
    const sShared = await key(S, "shared", sCreator.creds);
    const beta = await key(S, "beta", sCreator.creds, usRegion.id);
    const tShared = await key(T, "shared");
    await key(T, "gamma");
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };

    const pre = await preview(input);
    expect(pre.status).toBe(200);
    const p = pre.data;
    expect(p.blockers).toEqual([]);
    expect(p.conflicts).toEqual([
      {
        name: "shared",
        sourceKeyId: sShared.id,
        targetKeyId: tShared.id,
        resolution: "rename",
        newName: "shared_from_source-team",
      },
    ]);
    expect(p.keysToDelete).toEqual([]);
    expect(p.keysToMove.map((k) => [k.name, k.newName, k.regionName]).sort()).toEqual([
      ["alpha", "alpha", "eu west"],
      ["beta", "beta", "us-east 2"],
      ["shared", "shared_from_source-team", "eu west"],
    ]);
    expect(Object.fromEntries(p.members.map((m) => [m.userId, [m.action, m.resultRole]]))).toEqual({
      [sAdmin.id]: ["add", "ADMIN"],
      [sCreator.id]: ["add", "KEY_CREATOR"],
      [up.id]: ["upgrade", "MEMBER"],
      [keep.id]: ["keep", "ADMIN"],
    });
    expect(p.warnings.join(" ")).toMatch(/will be deleted/);

    const res = await merge(input);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      status: "SYNCING",
      movedKeys: 3,
      renamedKeys: 1,
      deletedKeys: 0,
      movedMembers: 3,
    });
    // eu: team, members, 2 moves; us: team, members, 1 move.
    expect(res.data.jobs).toBe(7);

    // The database is exactly what the preview said.
    expect(await h.db.prisma.team.findUnique({ where: { id: S } })).toBeNull();
    expect(await h.db.prisma.teamMember.count({ where: { teamId: S } })).toBe(0);
    for (const k of p.keysToMove) {
      expect(await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: k.keyId } })).toMatchObject({
        teamId: T,
        name: k.newName,
      });
    }
    const roles = await rolesOf(T);
    for (const m of p.members) expect(roles[m.userId]).toBe(m.resultRole);
    expect(roles[tOnly.id]).toBe("MEMBER");
    expect(Object.keys(roles)).toHaveLength(5);
    expect(await keysOf(T)).toEqual([
      "alpha",
      "beta",
      "gamma",
      "shared",
      "shared_from_source-team",
    ]);

    // Audit: one team.merge event by the admin, with the merge's summary; the full snapshot
    // (every member and key) is the merge record's, written by the same transaction.
    const events = await h.db.prisma.auditEvent.findMany({
      where: { action: "team.merge", targetId: T },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorUserId).toBe(admin.id);
    expect(events[0]!.organizationId).toBe(orgId);
    expect(events[0]!.details).toEqual({
      mergeId: res.data.mergeId,
      summary: {
        strategy: "rename",
        renameSuffix: null,
        source: { id: S, name: "Source Team", organizationId: orgId },
        target: { id: T, name: "Target Team", organizationId: orgId },
        movedKeys: 3,
        renamedKeys: 1,
        deletedKeys: 0,
        conflicts: 1,
        addedMembers: 2,
        upgradedMembers: 1,
        jobs: 7,
      },
    });
    const record = await h.db.prisma.teamMerge.findUniqueOrThrow({
      where: { id: res.data.mergeId },
    });
    expect(record).toMatchObject({
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      createdByUserId: admin.id,
    });
    expect(record.snapshot).toMatchObject({
      strategy: "rename",
      source: { id: S, name: "Source Team", keysCount: 3, membersCount: 4 },
      target: { id: T, name: "Target Team" },
      conflicts: p.conflicts,
      deletedKeys: [],
    });
    const snap = record.snapshot as {
      movedKeys: Array<{ keyId: string; from: string; to: string; regionId: string }>;
      members: Array<{ userId: string; email: string; action: string }>;
    };
    expect(snap.movedKeys).toHaveLength(3);
    expect(snap.movedKeys).toContainEqual({
      keyId: sShared.id,
      from: "shared",
      to: "shared_from_source-team",
      regionId: h.region.id,
    });
    expect(snap.movedKeys).toContainEqual({
      keyId: beta.id,
      from: "beta",
      to: "beta",
      regionId: usRegion.id,
    });
    expect(snap.members.map((m) => [m.userId, m.action]).sort()).toEqual(
      p.members.map((m) => [m.userId, m.action]).sort(),
    );
    expect(snap.members.find((m) => m.userId === keep.id)?.email).toMatch(/^both-keep-/);

    await h.drain();
    const st = await status(res.data.mergeId);
    expect(st).toMatchObject({
      status: "DONE",
      sourceTeam: { id: S, name: "Source Team" },
      targetTeamId: T,
      strategy: "rename",
    });
    expect(st.completedAt).not.toBeNull();
    expect(st.jobs).toEqual({ total: 7, done: 7, pending: 0, running: 0, failed: 0, waiting: 0 });
    expect(st.keys.map((k) => [k.keyId, k.name, k.regionName, k.action, k.state]).sort()).toEqual(
      [
        [alpha.id, "alpha", "eu west", "move", "done"],
        [beta.id, "beta", "us-east 2", "move", "done"],
        [sShared.id, "shared_from_source-team", "eu west", "move", "done"],
      ].sort(),
    );

    // LiteLLM: each moved key is in `<region>_<target id>` with the alias of its new name.
    expect(litellmKey(h.litellm, alpha.token)).toMatchObject({
      teamId: euTeam(T),
      keyAlias: alias(euTeam(T), "alpha"),
    });
    expect(litellmKey(h.litellm, sShared.token)).toMatchObject({
      teamId: euTeam(T),
      keyAlias: alias(euTeam(T), "shared_from_source-team"),
    });
    expect(litellmKey(us, beta.token)).toMatchObject({
      teamId: usTeam(T),
      keyAlias: alias(usTeam(T), "beta"),
    });
    expect(litellmKey(h.litellm, tShared.token)).toMatchObject({
      teamId: euTeam(T),
      keyAlias: alias(euTeam(T), "shared"),
    });
    // The moved keys' owners became members of the target team on each proxy.
    // The moved keys' owners became members of the target team on each proxy, as plain
    // members even when ADMIN in Gatehouse (team admins are Enterprise-only on LiteLLM).
    const euTarget = h.litellm.state.getTeam(euTeam(T))!;
    expect(euTarget.members.get(sAdmin.id)?.role).toBe("user");
    expect(euTarget.members.get(sCreator.id)?.role).toBe("user");
    expect(us.state.getTeam(usTeam(T))!.members.has(sCreator.id)).toBe(true);
    // The merged-away source team is gone from both proxies once its keys moved.
    expect(h.litellm.state.getTeam(euTeam(S))).toBeUndefined();
    expect(us.state.getTeam(usTeam(S))).toBeUndefined();
  });

  it("open-source LiteLLM: moved keys owned by team ADMINs (both teams) merge green, never sending role admin", async () => {
    const S = await team("Admins Source");
    const T = await team("Admins Target");
    const sAdmin = await user("oss-s-admin", [[S, "ADMIN"]]);
    const both = await user("oss-both-admin", [
      [S, "ADMIN"],
      [T, "ADMIN"],
    ]);
    const a = await key(S, "by-source-admin", sAdmin.creds);
    const b = await key(S, "by-both-admin", both.creds);
    const since = h.litellm.state.snapshot().requestCount;
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
    expect(res.status).toBe(200);
    await h.drain();
    const st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    expect(st.jobs.failed).toBe(0);
    expect(await rolesOf(T)).toMatchObject({ [sAdmin.id]: "ADMIN", [both.id]: "ADMIN" });
    for (const k of [a, b])
      expect(litellmKey(h.litellm, k.token)).toMatchObject({
        teamId: euTeam(T),
        keyAlias: alias(euTeam(T), k.name),
      });
    const adds = h.litellm.state.requestsSince(since).filter((r) => r.path === "/team/member_add");
    expect(adds.length).toBeGreaterThan(0);
    expect(adds.every((r) => r.status === 200)).toBe(true);
    expect(JSON.stringify(adds.map((r) => r.body))).not.toContain('"admin"');
  });

  it("lets an admin-scoped service token merge, and moves keys a service token created", async () => {
    const bearer = await fx.insertServiceToken(h.db, { admin: true });
    const S = await team("Svc Source");
    const T = await team("Svc Target");
    // Created by a service token: no creator row, owned on LiteLLM by `gatehouse-service-...`.
    const k = await key(S, "svc-key", { bearer });
    expect(litellmKey(h.litellm, k.token)!.userId).toMatch(/^gatehouse-service-/);
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" }, { bearer });
    expect(res.status).toBe(200);
    await syncAll();
    expect((await status(res.data.mergeId)).status).toBe("DONE");
    expect(litellmKey(h.litellm, k.token)).toMatchObject({
      teamId: euTeam(T),
      keyAlias: alias(euTeam(T), "svc-key"),
    });
  });

  it("refuses anyone but a system admin (403), and anonymous callers (401), changing nothing", async () => {
    const orgB = await fx.insertOrganization(h.db, "Other Org");
    const S = await team("Guarded Source");
    const T = await team("Guarded Target");
    await key(S, "guarded");
    const orgAdmin = await user("org-admin");
    await fx.addOrgMember(h.db, orgId, orgAdmin.id, "ORG_ADMIN");
    const teamAdmin = await user("team-admin", [
      [S, "ADMIN"],
      [T, "ADMIN"],
    ]);
    const member = await user("member", [
      [S, "MEMBER"],
      [T, "MEMBER"],
    ]);
    const orgToken = await fx.insertServiceToken(h.db, { organizationId: orgId });
    const otherOrgToken = await fx.insertServiceToken(h.db, { organizationId: orgB });
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };
    const before = await snapshot();
    const callers: Array<[string, Credentials]> = [
      ["org admin", orgAdmin.creds],
      ["team admin", teamAdmin.creds],
      ["member", member.creds],
      ["org-scoped token", { bearer: orgToken }],
      ["other org token", { bearer: otherOrgToken }],
    ];
    for (const [who, creds] of callers) {
      expect((await merge(input, creds)).status, who).toBe(403);
      expect((await preview(input, creds)).status, who).toBe(403);
      const st = await h.query(
        "teams.mergeStatus",
        { mergeId: crypto.randomUUID() },
        { credentials: creds },
      );
      expect(st.status, who).toBe(403);
    }
    expect((await merge(input, null)).status).toBe(401);
    expect((await preview(input, null)).status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 for a missing source or target, and 400 for a self-merge", async () => {
    const T = await team("Lonely Target");
    const missing = crypto.randomUUID();
    const before = await snapshot();
    for (const input of [
      { sourceTeamId: missing, targetTeamId: T, strategy: "rename" as const },
      { sourceTeamId: T, targetTeamId: missing, strategy: "rename" as const },
    ]) {
      const m = await merge(input);
      expect(m.status).toBe(404);
      expect(m.error?.data.code).toBe("NOT_FOUND");
      expect(m.error?.data.details).toEqual({
        field: input.sourceTeamId === missing ? "sourceTeamId" : "targetTeamId",
      });
      expect((await preview(input)).status).toBe(404);
    }
    const self = await merge({ sourceTeamId: T, targetTeamId: T, strategy: "rename" });
    expect(self.status).toBe(400);
    expect(self.error?.data.fieldErrors?.targetTeamId).toBeDefined();
    expect((await preview({ sourceTeamId: T, targetTeamId: T, strategy: "rename" })).status).toBe(
      400,
    );
    expect(
      (await h.query("teams.mergeStatus", { mergeId: missing }, { credentials: admin.creds }))
        .status,
    ).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("cancel with conflicts: 409 with the conflicting names, and nothing changed anywhere", async () => {
    const S = await team("Cancel Source");
    const T = await team("Cancel Target");
    await user("cancel-member", [[S, "ADMIN"]]);
    for (const n of ["one", "two", "solo"]) await key(S, n);
    for (const n of ["one", "two", "other"]) await key(T, n);
    await h.drain();
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "cancel" };
    const pre = await preview(input);
    expect(pre.data.conflicts.map((c) => [c.name, c.resolution, c.newName])).toEqual([
      ["one", "cancel", null],
      ["two", "cancel", null],
    ]);
    expect(pre.data.blockers.join(" ")).toMatch(/2 key name\(s\) exist in both teams/);

    const before = await snapshot();
    const res = await merge(input);
    expect(res.status).toBe(409);
    expect(res.error?.data.code).toBe("CONFLICT");
    const details = res.error?.data.details as { conflicts: Array<{ name: string }> };
    expect(details.conflicts.map((c) => c.name).sort()).toEqual(["one", "two"]);
    expect(await snapshot()).toEqual(before);
  });

  it("cancel without conflicts merges", async () => {
    const S = await team("Calm Source");
    const T = await team("Calm Target");
    await key(S, "only-in-source");
    await key(T, "only-in-target");
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "cancel" });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ movedKeys: 1, renamedKeys: 0, deletedKeys: 0 });
    expect(await keysOf(T)).toEqual(["only-in-source", "only-in-target"]);
    await h.drain();
    expect((await status(res.data.mergeId)).status).toBe("DONE");
  });

  it("delete: the source's conflicting keys are deleted in the database and on LiteLLM", async () => {
    const S = await team("Delete Source");
    const T = await team("Delete Target");
    const sDup = await key(S, "dup");
    const sSolo = await key(S, "solo");
    const tDup = await key(T, "dup");
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "delete" };
    const pre = (await preview(input)).data;
    expect(pre.keysToDelete).toEqual([{ keyId: sDup.id, name: "dup" }]);
    expect(pre.keysToMove.map((k) => k.keyId)).toEqual([sSolo.id]);

    const res = await merge(input);
    expect(res.data).toMatchObject({ movedKeys: 1, deletedKeys: 1, renamedKeys: 0 });
    expect(await h.db.prisma.apiKey.findUnique({ where: { id: sDup.id } })).toBeNull();
    expect(await keysOf(T)).toEqual(["dup", "solo"]);
    await h.drain();
    expect(litellmKey(h.litellm, sDup.token)).toBeUndefined();
    expect(litellmKey(h.litellm, tDup.token)).toMatchObject({
      teamId: euTeam(T),
      keyAlias: alias(euTeam(T), "dup"),
    });
    expect(litellmKey(h.litellm, sSolo.token)).toMatchObject({
      teamId: euTeam(T),
      keyAlias: alias(euTeam(T), "solo"),
    });
    const st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    expect(st.keys.map((k) => [k.keyId, k.action, k.name, k.state]).sort()).toEqual(
      [
        [sDup.id, "delete", "dup", "done"],
        [sSolo.id, "move", "solo", "done"],
      ].sort(),
    );
  });

  it("refuses a source with an active product (412, products listed) and leaves both teams intact", async () => {
    const S = await team("Paying Source");
    const T = await team("Paying Target");
    await key(S, "paid-key");
    const product = await h.mutationOk<Out<"products.create">>(
      "products.create",
      { name: `Pro ${++seq}` },
      admin.creds,
    );
    await h.mutationOk("products.attach", { teamId: S, productId: product.id }, admin.creds);
    // Attaching pushes the entitlement to the proxy: let it land before the snapshot.
    await h.drain();
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };
    const pre = (await preview(input)).data;
    expect(pre.blockingProducts.map((x) => x.id)).toEqual([product.id]);
    expect(pre.blockers.join(" ")).toMatch(/active products/);

    const before = await snapshot();
    const res = await merge(input);
    expect(res.status).toBe(412);
    expect(res.error?.data.code).toBe("PRECONDITION_FAILED");
    expect(res.error?.data.details).toEqual({
      products: [{ id: product.id, name: expect.stringMatching(/^Pro /) }],
    });
    expect(await snapshot()).toEqual(before);

    // Once the product is detached (cancelled), the merge goes through.
    await h.mutationOk("products.detach", { teamId: S, productId: product.id }, admin.creds);
    expect((await merge(input)).status).toBe(200);
    await h.drain();
  });

  it("needs allowCrossOrganization for teams of different organizations (412 otherwise)", async () => {
    const otherOrg = await fx.insertOrganization(h.db, `Cross Org ${++seq}`);
    const S = await team("Cross Source", orgId);
    const T = await team("Cross Target", otherOrg);
    await key(S, "cross-key");
    // A new key's pushes (an entitlement push reads the proxy's team first) land before the
    // snapshot, so the refused merge is the only thing that could change it.
    await h.drain();
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };
    expect((await preview(input)).data.blockers.join(" ")).toMatch(/different organizations/);
    const before = await snapshot();
    const refused = await merge(input);
    expect(refused.status).toBe(412);
    expect(refused.error?.data.details).toEqual({ reason: "cross_organization" });
    expect(await snapshot()).toEqual(before);

    const allowed = await merge({ ...input, allowCrossOrganization: true });
    expect(allowed.status).toBe(200);
    expect((await h.db.prisma.team.findUniqueOrThrow({ where: { id: T } })).organizationId).toBe(
      otherOrg,
    );
    const event = await h.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "team.merge", targetId: T },
    });
    expect(event.organizationId).toBe(otherOrg);
    await h.drain();
  });

  it("a team without keys or members merges with no LiteLLM sync and is DONE at once; only its cleanup follows", async () => {
    const S = await team("Empty Source");
    const T = await team("Empty Target");
    const requests = h.litellm.state.snapshot().requestCount;
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "cancel" });
    expect(res.data).toMatchObject({ status: "DONE", jobs: 0 });
    expect((await status(res.data.mergeId)).status).toBe("DONE");
    // The merged-away team is deleted on the proxy in case it exists there (it does not).
    await h.drain();
    const log = h.litellm.state.requestsSince(requests);
    expect(log.map((r) => [r.path, r.body, r.status])).toEqual([
      ["/team/delete", { team_ids: [euTeam(S)] }, 404],
    ]);
  });
});

/* ---------------------------------------------------------------------- rename corners */

describe("rename corner cases", () => {
  it("appends a counter when the suffixed name is already taken (in the target or by a moved key)", async () => {
    const S = await team("Counter Source");
    const T = await team("Counter Target");
    const k = await key(S, "k");
    await key(S, "k_x_2"); // moves unchanged, so the counter must skip it too
    await key(T, "k");
    await key(T, "k_x");
    const input: MergeInput = {
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "_x",
    };
    const pre = (await preview(input)).data;
    expect(pre.conflicts).toEqual([expect.objectContaining({ name: "k", newName: "k_x_3" })]);
    const res = await merge(input);
    expect(res.status).toBe(200);
    expect(await keysOf(T)).toEqual(["k", "k_x", "k_x_2", "k_x_3"]);
    await h.drain();
    expect(litellmKey(h.litellm, k.token)?.keyAlias).toBe(alias(euTeam(T), "k_x_3"));
  });

  it("keeps renamed names at the 64-character limit valid and unique", async () => {
    const S = await team("Src");
    const T = await team("Long Target");
    const a = "a".repeat(60) + "0001";
    const b = "a".repeat(60) + "0002";
    const spaced = "b".repeat(54) + " " + "c".repeat(9); // the cut falls on the space
    expect([a, b, spaced].every((n) => n.length === KEY_NAME_MAX)).toBe(true);
    const source = [await key(S, a), await key(S, b), await key(S, spaced)];
    for (const n of [a, b, spaced]) await key(T, n);
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };
    const pre = (await preview(input)).data;
    const renamed = pre.conflicts.map((c) => c.newName!);
    expect(renamed).toEqual([
      "a".repeat(55) + "_from_src",
      "a".repeat(53) + "_from_src_2",
      "b".repeat(54) + "_from_src",
    ]);

    expect((await merge(input)).status).toBe(200);
    const names = await keysOf(T);
    expect(names).toHaveLength(6);
    expect(new Set(names).size).toBe(6);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(KEY_NAME_MAX);
      expect(isValidKeyName(n), n).toBe(true);
    }
    for (const n of renamed) expect(names).toContain(n);
    await h.drain();
    for (const [i, k] of source.entries()) {
      expect(litellmKey(h.litellm, k.token)?.keyAlias).toBe(alias(euTeam(T), renamed[i]!));
    }
    // A renamed key is an ordinary key afterwards: it can be listed and deleted.
    const list = await h.queryOk<Out<"keys.list">>("keys.list", { teamId: T }, admin.creds);
    expect(list.items.map((k) => k.name).sort()).toEqual([...names].sort());
    await h.mutationOk("keys.delete", { keyId: source[1]!.id }, admin.creds);
    await h.drain();
    expect(litellmKey(h.litellm, source[1]!.token)).toBeUndefined();
  });

  it("uses a custom renameSuffix, and rejects an invalid one with a field error", async () => {
    const S = await team("Suffix Source");
    const T = await team("Suffix Target");
    const k = await key(S, "api");
    await key(T, "api");
    const bad = await merge({
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "(old)",
    });
    expect(bad.status).toBe(400);
    expect(bad.error?.data.fieldErrors?.renameSuffix).toBeDefined();
    const tooLong = await merge({
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "x".repeat(41),
    });
    expect(tooLong.status).toBe(400);

    const res = await merge({
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "-old",
    });
    expect(res.data.renamedKeys).toBe(1);
    expect(await keysOf(T)).toEqual(["api", "api-old"]);
    await h.drain();
    expect(litellmKey(h.litellm, k.token)?.keyAlias).toBe(alias(euTeam(T), "api-old"));
  });
});

/* ------------------------------------------------------------------------------ faults */

describe("LiteLLM faults during the sync", () => {
  it("LiteLLM down for the whole merge: the merge commits, jobs retry, then converge with nothing lost", async () => {
    const S = await team("Down Source");
    const T = await team("Down Target");
    const owner = await user("down-owner", [[S, "ADMIN"]]);
    const keys = [
      await key(S, "d1", owner.creds),
      await key(S, "d2", owner.creds),
      await key(S, "d3", owner.creds),
    ];
    await key(T, "d1");
    await h.drain();

    await h.litellm.faults.down();
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
    expect(res.status).toBe(200);
    expect(await keysOf(T)).toEqual(["d1", "d1_from_down-source", "d2", "d3"]);

    await h.drain();
    let st = await status(res.data.mergeId);
    expect(st.status).toBe("SYNCING");
    expect(st.jobs.done).toBe(0);
    expect(st.keys).toHaveLength(3);
    for (const k of st.keys) {
      expect(k.state).toBe("pending");
      expect(k.nextAttemptAt).not.toBeNull();
      // The keys wait for the team to exist on LiteLLM; the status says why.
      expect(k.lastError).toMatch(/waiting for litellm\.ensureTeam \(attempt 1\): unavailable/);
    }
    const ensure = () =>
      h.db.prisma.job.findFirstOrThrow({
        where: { mergeId: res.data.mergeId, kind: "litellm.ensureTeam" },
      });
    expect(await ensure()).toMatchObject({ status: "PENDING", attempts: 1 });

    // Still down: each retry is one more attempt, backing off.
    await makeRetriesDue();
    await h.drain();
    const second = await ensure();
    expect(second).toMatchObject({ status: "PENDING", attempts: 2 });
    expect(second.runAt.getTime()).toBeGreaterThan(Date.now() + 500); // 2 s backoff after attempt 2
    st = await status(res.data.mergeId);
    expect(st.keys.every((k) => k.lastError?.includes("(attempt 2)"))).toBe(true);

    await h.litellm.faults.up();
    await syncAll();
    st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    expect(st.keys.every((k) => k.state === "done" && k.lastError === null)).toBe(true);
    const names = ["d1_from_down-source", "d2", "d3"];
    for (const [i, k] of keys.entries()) {
      expect(litellmKey(h.litellm, k.token)).toMatchObject({
        teamId: euTeam(T),
        keyAlias: alias(euTeam(T), names[i]!),
      });
    }
  });

  it("fail-next N on LiteLLM: the failed calls are retried to success", async () => {
    const S = await team("Flaky Source");
    const T = await team("Flaky Target");
    const keys = await Promise.all(["f1", "f2", "f3", "f4"].map((n) => key(S, n)));
    await h.drain();
    const since = h.litellm.state.snapshot().requestCount;
    h.litellm.faults.failNext(2, 503, { path: "/key/update" });
    h.litellm.faults.failNext(1, 500, { path: "/team/new" });
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
    await h.drain();
    const mid = await status(res.data.mergeId);
    expect(mid.status).toBe("SYNCING");
    await syncAll();
    const st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    const injected = h.litellm.state.requestsSince(since).filter((r) => r.fault === "fail-next");
    expect(injected.map((r) => r.path).sort()).toEqual(["/key/update", "/key/update", "/team/new"]);
    // Two key moves needed a second attempt.
    expect(st.keys.map((k) => k.attempts).sort()).toEqual([1, 1, 2, 2]);
    for (const k of keys)
      expect(litellmKey(h.litellm, k.token)).toMatchObject({
        teamId: euTeam(T),
        keyAlias: alias(euTeam(T), k.name),
      });
  });

  it("a proxy with no models (LiteLLM: 400 'LLM router not found'): the key moves wait with that reason, then go through once it has models", async () => {
    const S = await team("Modelless Source");
    const T = await team("Modelless Target");
    const keys = await Promise.all(["m1", "m2"].map((n) => key(S, n)));
    await h.drain();
    h.litellm.state.settings.noModels = true;
    try {
      const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
      expect(res.status).toBe(200);
      await h.drain();
      const st = await status(res.data.mergeId);
      expect(st.status).toBe("SYNCING");
      expect(st.keys).toHaveLength(2);
      for (const k of st.keys) {
        expect(k.state).toBe("pending");
        // Reported as the proxy's configuration, not as a bad master key or a missing key.
        expect(k.lastError).toMatch(/^rejected\/no_models: .*LLM router not found/);
      }
      for (const k of keys) expect(litellmKey(h.litellm, k.token)?.teamId).toBe(euTeam(S));
    } finally {
      h.litellm.state.settings.noModels = false;
    }
    await syncAll();
    for (const k of keys) expect(litellmKey(h.litellm, k.token)?.teamId).toBe(euTeam(T));
  });

  it("inactive region: keys move in the database, their sync waits (reported), and resumes on reactivation", async () => {
    const S = await team("Dormant Source");
    const T = await team("Dormant Target");
    const euKey = await key(S, "eu-key");
    const usKey = await key(S, "us-key", admin.creds, usRegion.id);
    await h.drain();
    await h.mutationOk("regions.update", { regionId: usRegion.id, isActive: false }, admin.creds);
    try {
      const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };
      const pre = (await preview(input)).data;
      expect(pre.keysToMove.find((k) => k.keyId === usKey.id)?.regionActive).toBe(false);
      expect(pre.warnings.join(" ")).toMatch(/1 key\(s\) are in inactive regions/);
      const res = await merge(input);
      expect(res.status).toBe(200);
      expect(await keysOf(T)).toEqual(["eu-key", "us-key"]);

      await h.drain();
      let st = await status(res.data.mergeId);
      expect(st.status).toBe("SYNCING");
      expect(st.keys.find((k) => k.keyId === euKey.id)?.state).toBe("done");
      expect(st.keys.find((k) => k.keyId === usKey.id)?.state).toBe("waiting_region_inactive");
      expect(st.jobs.waiting).toBe(3); // us: team, members, key
      expect(litellmKey(us, usKey.token)?.teamId).toBe(usTeam(S));

      await h.mutationOk("regions.update", { regionId: usRegion.id, isActive: true }, admin.creds);
      await h.drain();
      st = await status(res.data.mergeId);
      expect(st.status).toBe("DONE");
      expect(litellmKey(us, usKey.token)).toMatchObject({
        teamId: usTeam(T),
        keyAlias: alias(usTeam(T), "us-key"),
      });
    } finally {
      await h.db.prisma.region.update({ where: { id: usRegion.id }, data: { isActive: true } });
    }
  });

  it("a worker killed mid-sync: its jobs are reclaimed after the lease and redone without duplicate effects", async () => {
    const S = await team("Crash Source");
    const T = await team("Crash Target");
    const owner = await user("crash-owner", [[S, "KEY_CREATOR"]]);
    const keys: CreatedKey[] = [];
    for (let i = 0; i < 6; i++) keys.push(await key(S, `c${i}`, owner.creds));
    await h.drain();
    await h.stopWorker();
    const since = h.litellm.state.snapshot().requestCount;
    const res = await merge({ sourceTeamId: S, targetTeamId: T, strategy: "rename" });
    expect(res.data.jobs).toBe(8);

    const client = new LiteLLMClient({ baseUrl: h.litellm.url, masterKey: fx.LITELLM_MASTER_KEY });
    const run = async (jobs: Awaited<ReturnType<typeof claimJobs>>) => {
      for (const job of jobs) {
        if (!isJobKind(job.kind)) throw new Error(job.kind);
        await runJob(client, job.kind, job.payload);
      }
    };
    // The source team's deletion on each proxy (cleanup, after the moves) is not under test here.
    const mergeOnly = (jobs: Awaited<ReturnType<typeof claimJobs>>) =>
      jobs.filter((j) => j.kind !== "litellm.deleteTeam");
    const expire = (workerId: string) =>
      h.db.pool.query(
        `UPDATE jobs SET locked_until = now() - interval '1 second' WHERE locked_by = $1`,
        [workerId],
      );
    try {
      // Worker 1 creates the team on LiteLLM, then dies before recording it.
      const first = await claimJobs(h.db.pool, "dead-1", 100, 60_000);
      expect(mergeOnly(first).map((j) => j.kind)).toEqual(["litellm.ensureTeam"]);
      await run(first);
      await expire("dead-1");
      // Worker 2 reclaims it (LiteLLM: "already exists" = done), does the members, then
      // moves half of the keys and dies before recording those.
      const again = await claimJobs(h.db.pool, "dead-2", 100, 60_000);
      expect(mergeOnly(again).map((j) => [j.id, j.attempts])).toEqual([
        [mergeOnly(first)[0]!.id, 2],
      ]);
      await run(again);
      expect(
        await completeJobs(
          h.db.pool,
          "dead-2",
          again.map((j) => j.id),
        ),
      ).toHaveLength(again.length);
      const members = await claimJobs(h.db.pool, "dead-2", 100, 60_000);
      expect(members.map((j) => j.kind)).toEqual(["litellm.addMembers"]);
      await run(members);
      await completeJobs(
        h.db.pool,
        "dead-2",
        members.map((j) => j.id),
      );
      const moves = await claimJobs(h.db.pool, "dead-2", 100, 60_000);
      expect(moves).toHaveLength(6);
      await run(moves.slice(0, 3));
      // While its lease runs, nobody else may take these jobs.
      expect(await claimJobs(h.db.pool, "someone", 100, 60_000)).toEqual([]);
      await expire("dead-2");

      const live = h.startWorker();
      await live.drained();
      // The dead worker's late completion does not count.
      expect(
        await completeJobs(
          h.db.pool,
          "dead-2",
          moves.map((j) => j.id),
        ),
      ).toEqual([]);
    } finally {
      client.close();
      if (!isRunning()) h.startWorker();
    }

    const st = await status(res.data.mergeId);
    expect(st.status).toBe("DONE");
    expect(st.keys.map((k) => k.attempts).sort()).toEqual([2, 2, 2, 2, 2, 2]);
    // Final state: every key once, in the target, with its alias; no key was generated.
    const log = h.litellm.state.requestsSince(since);
    expect(log.filter((r) => r.path === "/key/generate")).toHaveLength(0);
    expect(log.filter((r) => r.path === "/team/new").map((r) => r.status)).toEqual([200, 400]);
    for (const k of keys) {
      expect(litellmKey(h.litellm, k.token)).toMatchObject({
        teamId: euTeam(T),
        keyAlias: alias(euTeam(T), k.name),
      });
      const matching = [...h.litellm.state.keys.values()].filter(
        (x) => x.metadata.gatehouse_key_id === k.id,
      );
      expect(matching).toHaveLength(1);
      const updates = log.filter(
        (r) => r.path === "/key/update" && (r.body as { key?: string }).key === k.token,
      );
      expect(updates.every((u) => u.status === 200)).toBe(true);
      expect(updates.length).toBeGreaterThanOrEqual(1);
      expect(updates.length).toBeLessThanOrEqual(2);
    }
  });
});

function isRunning(): boolean {
  try {
    return h.worker !== undefined;
  } catch {
    return false;
  }
}
