/**
 * The group sync, both ways: at every SSO sign-in the memberships the provider's rules made
 * follow the claim's groups. Leaving a group removes the team membership with the
 * consequences of a removal by hand (the person's keys blocked `owner_left` on the proxy);
 * memberships made by hand are left alone.
 */
import { describe, expect, it } from "vitest";
import type { Out } from "../support/http.ts";
import {
  auditOf,
  h,
  org,
  orgAdmin,
  person,
  platform,
  research,
  signIn,
  test,
  userIdOf,
} from "./sso-suite.ts";
import * as fx from "../support/fixtures.ts";

const dave = person("dave", ["eng", "research"]);
const erin = person("erin", ["eng"]);
const grace = person("grace", ["research"]);

/** The key exists on the proxy and is not blocked there. */
function works(secret: string): boolean {
  const stored = h.litellm.state.getKey(secret);
  return stored !== undefined && stored.blocked !== true;
}

async function roleIn(teamId: string, userId: string) {
  const member = await h.db.prisma.teamMember.findUnique({
    where: { teamId_userId: { teamId, userId } },
  });
  return member ? [member.role, member.source] : null;
}

describe("group sync at SSO sign-in", () => {
  it("removes the team membership of a group the person left and blocks their keys on the proxy; hand-made memberships survive", async () => {
    const first = await signIn(dave);
    const userId = (await userIdOf(dave.email))!;
    expect(await roleIn(platform, userId)).toEqual(["KEY_CREATOR", "SSO"]);
    expect(await roleIn(research, userId)).toEqual(["MEMBER", "SSO"]);
    // A team their admin added them to by hand.
    const handMade = await fx.insertTeam(h.db, { name: "Hand made", organizationId: org });
    await h.mutationOk(
      "teams.addMember",
      { teamId: handMade, userId, role: "MEMBER" },
      orgAdmin.creds,
    );
    // The team page tells the two kinds apart.
    const shown = await h.queryOk<Out<"teams.get">>(
      "teams.get",
      { teamId: platform },
      orgAdmin.creds,
    );
    expect(shown.members.find((m) => m.userId === userId)).toMatchObject({ source: "SSO" });
    const made = await h.mutationOk<Out<"keys.create">>(
      "keys.create",
      { teamId: platform, name: "dave key", regionId: h.region.id },
      first.creds,
    );
    await h.drain();
    expect(works(made.secret)).toBe(true);

    test.idp.setGroups(dave.sub, ["research"]);
    const second = await signIn(dave);
    expect(second.location).toBe("/");
    expect(await roleIn(platform, userId)).toBeNull();
    expect(await roleIn(research, userId)).toEqual(["MEMBER", "SSO"]);
    expect(await roleIn(handMade, userId)).toEqual(["MEMBER", "MANUAL"]);
    const blocks = await h.db.prisma.apiKeyBlock.findMany({ where: { apiKeyId: made.key.id } });
    expect(blocks.map((b) => b.reason)).toEqual(["owner_left"]);
    await h.drain();
    expect(h.litellm.state.getKey(made.secret)).toMatchObject({ blocked: true });
    expect(works(made.secret)).toBe(false);
    const removed = await auditOf("membership.sso_remove", userId);
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ targetType: "team", targetId: platform });
    expect(removed[0]!.details).toMatchObject({
      group: "eng",
      role: "KEY_CREATOR",
      blockedKeys: 1,
    });
    expect((removed[0]!.details as { ruleId: string }).ruleId).toEqual(expect.any(String));

    // Back in the group: back in the team, and the key works again.
    test.idp.setGroups(dave.sub, ["research", "eng"]);
    await signIn(dave);
    expect(await roleIn(platform, userId)).toEqual(["KEY_CREATOR", "SSO"]);
    expect(await h.db.prisma.apiKeyBlock.count({ where: { apiKeyId: made.key.id } })).toBe(0);
    await h.converge();
    expect(works(made.secret)).toBe(true);
  });

  it("changes roles both ways and leaves the organization when no group grants it", async () => {
    await signIn(erin);
    const userId = (await userIdOf(erin.email))!;
    expect(await roleIn(platform, userId)).toEqual(["KEY_CREATOR", "SSO"]);

    test.idp.setGroups(erin.sub, ["eng", "platform-leads"]);
    await signIn(erin);
    expect(await roleIn(platform, userId)).toEqual(["ADMIN", "SSO"]);
    test.idp.setGroups(erin.sub, ["eng"]);
    await signIn(erin);
    expect(await roleIn(platform, userId)).toEqual(["KEY_CREATOR", "SSO"]);
    expect(await auditOf("membership.sso_role", userId)).toHaveLength(2);

    test.idp.setGroups(erin.sub, []);
    const last = await signIn(erin);
    // Still signed in (the account exists), but no longer in the organization or its teams.
    expect(last.location).toBe("/");
    expect(
      await h.db.prisma.organizationMember.count({ where: { organizationId: org, userId } }),
    ).toBe(0);
    expect(await h.db.prisma.teamMember.count({ where: { userId } })).toBe(0);
  });

  it("leaves hand-made memberships alone, whether a rule grants them another role or not", async () => {
    const userId = await fx.insertUser(h.db, { email: grace.email });
    await fx.addOrgMember(h.db, org, userId, "MEMBER");
    await fx.addTeamMember(h.db, research, userId, "READ_ONLY");
    await signIn(grace);
    expect(await roleIn(research, userId)).toEqual(["READ_ONLY", "MANUAL"]);
    test.idp.setGroups(grace.sub, []);
    await signIn(grace);
    expect(await roleIn(research, userId)).toEqual(["READ_ONLY", "MANUAL"]);
    expect(
      await h.db.prisma.organizationMember.findUniqueOrThrow({
        where: { organizationId_userId: { organizationId: org, userId } },
      }),
    ).toMatchObject({ role: "MEMBER", source: "MANUAL" });
  });
});
