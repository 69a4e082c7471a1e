/**
 * teams.merge end to end (HTTP API, real database, two LiteLLM regions, a real worker): members
 * keep the higher role, keys move and are renamed, LiteLLM follows (also on open-source
 * LiteLLM), service tokens may merge, the cancel and delete strategies, and a team without
 * keys or members.
 */
import { describe, expect, it } from "vitest";
import * as fx from "../support/fixtures.ts";
import { h, us, usRegion, orgId, admin, euTeam, usTeam, alias, team, user, key } from "./suite.ts";
import { type MergeInput, preview, merge, status, keysOf, rolesOf, snapshot } from "./suite.ts";
import { syncAll, litellmKey } from "./suite.ts";
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
