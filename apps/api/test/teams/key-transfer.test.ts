/**
 * keys.transfer when its owner leaves: the key moves to a remaining member on both LiteLLM
 * regions and keeps working, restored from its sealed secret when a proxy lost it.
 */
import { describe, expect, it } from "vitest";
import { LITELLM_LEFT_OWNER, litellmTeamId } from "@gatehouse/core";
import { type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import { h, orgAdmin, person, teamWithLeaver, createKey } from "./leaving-suite.ts";
import { keysOnBothProxies, works, onProxyTeam, reasons, auditDetails } from "./leaving-suite.ts";
import { removeFromTeam, systemAdmin } from "./leaving-suite.ts";
describe("keys.transfer", () => {
  it("hands a left owner's key to a current member: owner_left lifted, the proxy's owner follows, the key works again", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const keys = await keysOnBothProxies(team, leaver, "t");
    await h.drain();
    expect((await removeFromTeam(team, leaver.id, orgAdmin.creds)).status).toBe(200);
    await h.drain();
    for (const key of keys) expect(works(key)).toBe(false);

    for (const key of keys) {
      const moved = await h.mutationOk<Out<"keys.transfer">>(
        "keys.transfer",
        { keyId: key.id, toUserId: admin.id },
        admin.creds,
      );
      expect(moved).toEqual({
        keyId: key.id,
        ownerId: admin.id,
        blocked: false,
        blockReasons: [],
        manualBlock: null,
        canUnblock: false,
      });
      expect(await auditDetails("key.transfer", key.id)).toEqual({
        teamId: team,
        fromUserId: leaver.id,
        toUserId: admin.id,
      });
    }
    await h.drain();
    for (const key of keys) {
      expect(works(key)).toBe(true);
      expect(key.proxy.state.getKey(key.secret)?.userId).toBe(admin.id);
      expect(onProxyTeam(key, team, admin.id)).toBe(true);
      expect(onProxyTeam(key, team, leaver.id)).toBe(false);
      const row = await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(row.creatorId).toBe(admin.id);
    }
  });

  it("a left owner's key in a merged team moves with it, blocked, without its owner on the target team; transferred there it works", async () => {
    const { team: source, admin, leaver } = await teamWithLeaver();
    const keys = await keysOnBothProxies(source, leaver, "merged");
    expect((await removeFromTeam(source, leaver.id, admin.creds)).status).toBe(200);
    await h.drain();
    const { team: target, admin: targetAdmin } = await teamWithLeaver();
    const sysadmin = await systemAdmin("merger");
    const merged = await h.mutation(
      "teams.merge",
      { sourceTeamId: source, targetTeamId: target, strategy: "rename" },
      { credentials: sysadmin.creds },
    );
    expect(merged.status).toBe(200);
    await h.drain();
    for (const key of keys) {
      expect(await reasons(key.id)).toEqual(["owner_left"]);
      expect(key.proxy.state.getKey(key.secret)).toMatchObject({
        teamId: litellmTeamId(key.region.name, target),
        userId: LITELLM_LEFT_OWNER,
        blocked: true,
      });
      expect(onProxyTeam(key, target, leaver.id)).toBe(false);
    }
    const ended = await h.db.prisma.endedTeam.findUnique({ where: { teamId: source } });
    expect(ended).toMatchObject({ fate: "merged", mergedIntoTeamId: target });
    for (const key of keys) {
      await h.mutationOk(
        "keys.transfer",
        { keyId: key.id, toUserId: targetAdmin.id },
        targetAdmin.creds,
      );
    }
    await h.drain();
    for (const key of keys) {
      expect(works(key)).toBe(true);
      expect(key.proxy.state.getKey(key.secret)?.userId).toBe(targetAdmin.id);
    }
  });

  it("refuses a target who is not a member of the key's team (404 on toUserId), and changes nothing", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const key = await createKey(team, leaver, "stays", "current");
    expect((await removeFromTeam(team, leaver.id, admin.creds)).status).toBe(200);
    const outsider = await person("outsider");
    for (const toUserId of [leaver.id, outsider.id]) {
      const res = await h.mutation(
        "keys.transfer",
        { keyId: key.id, toUserId },
        { credentials: admin.creds },
      );
      expect(res.status).toBe(404);
      expect(res.error?.data.details).toEqual({ field: "toUserId" });
    }
    expect(await reasons(key.id)).toEqual(["owner_left"]);
    expect((await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).creatorId).toBe(
      leaver.id,
    );
  });

  it("a key blocked because a system admin disabled its owner is handed over by a system admin only: team and org admins get 403 and change nothing", async () => {
    const { team, admin, leaver } = await teamWithLeaver();
    const key = await createKey(team, leaver, "disabled-owner", "current");
    const sysadmin = await systemAdmin("disabler");
    await h.mutationOk("users.update", { userId: leaver.id, isActive: false }, sysadmin.creds);
    expect(await reasons(key.id)).toEqual(["owner_disabled"]);
    await h.drain();
    expect(works(key)).toBe(false);

    for (const who of [admin, orgAdmin]) {
      const refused = await h.mutation(
        "keys.transfer",
        { keyId: key.id, toUserId: admin.id },
        { credentials: who.creds },
      );
      expect(refused.status).toBe(403);
      expect(refused.error?.message).toMatch(/system administrator must hand over/);
    }
    expect(await reasons(key.id)).toEqual(["owner_disabled"]);
    const row = await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.creatorId).toBe(leaver.id);
    expect(await auditDetails("key.transfer", key.id)).toBeUndefined();
    await h.drain();
    expect(works(key)).toBe(false);

    const moved = await h.mutationOk<Out<"keys.transfer">>(
      "keys.transfer",
      { keyId: key.id, toUserId: admin.id },
      sysadmin.creds,
    );
    expect(moved).toMatchObject({ ownerId: admin.id, blocked: false, blockReasons: [] });
    await h.drain();
    expect(works(key)).toBe(true);
    expect(key.proxy.state.getKey(key.secret)?.userId).toBe(admin.id);
  });

  it("is refused to a team member who is not an admin (403), and to an outsider as an unknown key (404)", async () => {
    const { team, leaver } = await teamWithLeaver();
    const key = await createKey(team, leaver, "own", "current");
    const plain = await person("plain");
    await fx.addTeamMember(h.db, team, plain.id, "MEMBER");
    const outsider = await person("stranger");
    const asMember = await h.mutation(
      "keys.transfer",
      { keyId: key.id, toUserId: plain.id },
      { credentials: plain.creds },
    );
    expect(asMember.status).toBe(403);
    const asOutsider = await h.mutation(
      "keys.transfer",
      { keyId: key.id, toUserId: plain.id },
      { credentials: outsider.creds },
    );
    expect(asOutsider.status).toBe(404);
  });
});
