/**
 * What teams.merge refuses, changing nothing: callers other than a system admin (403) or
 * anonymous ones (401), a missing team (404) or a self-merge (400), a source with an active
 * product, and teams of two organizations without allowCrossOrganization (412).
 */
import { describe, expect, it } from "vitest";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";
import {
  type Role,
  h,
  orgId,
  admin,
  team,
  user,
  key,
  type MergeInput,
  preview,
  merge,
} from "./suite.ts";
import { snapshot } from "./suite.ts";
describe("teams.merge refuses", () => {
  it("refuses anyone but a system admin (403), and anonymous callers (401), changing nothing", async () => {
    const orgB = await fx.insertOrganization(h.db, "Other Org");
    const S = await team("Guarded Source");
    const T = await team("Guarded Target");
    await key(S, "guarded");
    const orgAdmin = await user("org-admin");
    await fx.addOrgMember(h.db, orgId, orgAdmin.id, "ORG_ADMIN");
    // The same role in both teams: still not enough to merge them.
    const inBoth = (role: Role): Array<[string, Role]> => [S, T].map((t) => [t, role]);
    const teamAdmin = await user("team-admin", inBoth("ADMIN"));
    const member = await user("member", inBoth("MEMBER"));
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

  it("refuses a source with an active product (412, products listed) and leaves both teams intact", async () => {
    const S = await team("Paying Source");
    const T = await team("Paying Target");
    await key(S, "paid-key");
    const product = await h.mutationOk<Out<"products.create">>(
      "products.create",
      { name: `Pro ${fx.uniqueName("merge")}` },
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
    const otherOrg = await fx.insertOrganization(h.db, `Cross Org ${fx.uniqueName("merge")}`);
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
});
