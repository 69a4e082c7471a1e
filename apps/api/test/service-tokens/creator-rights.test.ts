/**
 * A service token acts with at most what its creator may do now: an admin token stops when
 * its creator is demoted or disabled, an organization token when its creator is no longer
 * ORG_ADMIN there, and a token cannot mint a wider one. serviceTokens.list shows the creator
 * and the last use. Over real HTTP on both database backends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWithRoot, type Harness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import {
  addOrgMember,
  insertOrganization,
  type PersonMaker,
  uniqueName,
} from "../support/fixtures.ts";
import { auditDetails } from "../support/database.ts";

let h: Harness, person: PersonMaker, root: Credentials;

beforeAll(async () => ({ h, person, root } = await startWithRoot("tokens.example.com")));
afterAll(() => h?.close());

const me = (bearer: string) => h.query("auth.me", undefined, { credentials: { bearer } });

describe("a service token never acts with more than its creator has now", () => {
  it("an admin token stops (401) when its creator is demoted, stays stopped when disabled, and cannot restore them", async () => {
    const creator = await person("token-admin", { isSystemAdmin: true });
    const created = await h.mutationOk<Out<"serviceTokens.create">>(
      "serviceTokens.create",
      { name: "ops bot", scope: "admin" },
      creator.creds,
    );
    // A token minted by that token is bound by the same person.
    const minted = await h.mutationOk<Out<"serviceTokens.create">>(
      "serviceTokens.create",
      { name: "minted by bot", scope: "admin" },
      { bearer: created.token },
    );
    expect(minted.createdBy?.id).toBe(creator.id);
    expect((await me(created.token)).status).toBe(200);

    await h.mutationOk("users.update", { userId: creator.id, isSystemAdmin: false }, root);
    for (const token of [created.token, minted.token]) {
      expect((await me(token)).status).toBe(401);
      // The attack of the review: re-promote the demoted account with its own token.
      const restore = await h.mutation(
        "users.update",
        { userId: creator.id, isSystemAdmin: true },
        { credentials: { bearer: token } },
      );
      expect(restore.status).toBe(401);
    }
    expect(
      (await h.db.prisma.user.findUniqueOrThrow({ where: { id: creator.id } })).isSystemAdmin,
    ).toBe(false);
    // The demotion's audit event names the tokens it stopped.
    const demotion = await auditDetails(h.db, "user.update", creator.id);
    expect(demotion.stoppedServiceTokens).toEqual(
      expect.arrayContaining([
        { id: created.id, name: "ops bot" },
        { id: minted.id, name: "minted by bot" },
      ]),
    );
    expect(demotion.stoppedServiceTokens).toHaveLength(2);

    await h.mutationOk("users.update", { userId: creator.id, isActive: false }, root);
    expect((await me(created.token)).status).toBe(401);
  });

  it("an admin token of a disabled system admin answers 401 (the admin flag alone is not enough)", async () => {
    const creator = await person("disabled-admin", { isSystemAdmin: true });
    const created = await h.mutationOk<Out<"serviceTokens.create">>(
      "serviceTokens.create",
      { name: "nightly", scope: "admin" },
      creator.creds,
    );
    await h.mutationOk("users.update", { userId: creator.id, isActive: false }, root);
    expect((await me(created.token)).status).toBe(401);
    const made = await h.mutation(
      "users.create",
      {
        email: `${uniqueName("made")}@review.example.com`,
        name: "Made",
        password: "a long enough password",
        isSystemAdmin: true,
      },
      { credentials: { bearer: created.token } },
    );
    expect(made.status).toBe(401);
    expect((await auditDetails(h.db, "user.update", creator.id)).stoppedServiceTokens).toEqual([
      { id: created.id, name: "nightly" },
    ]);
  });

  it("an organization token works while its creator is ORG_ADMIN there (or a system admin), and stops when they are not", async () => {
    const org = await insertOrganization(h.db, uniqueName("Token Org"));
    const creator = await person("org-token-creator", { isSystemAdmin: true });
    const otherAdmin = await person("org-other-admin");
    await addOrgMember(h.db, org, creator.id, "ORG_ADMIN");
    await addOrgMember(h.db, org, otherAdmin.id, "ORG_ADMIN");
    const orgToken = await h.mutationOk<Out<"serviceTokens.create">>(
      "serviceTokens.create",
      { name: "org sync", scope: "organization", organizationId: org },
      creator.creds,
    );
    const adminToken = await h.mutationOk<Out<"serviceTokens.create">>(
      "serviceTokens.create",
      { name: "admin sync", scope: "admin" },
      creator.creds,
    );

    // No longer a system admin, still ORG_ADMIN: only the admin token stops.
    await h.mutationOk("users.update", { userId: creator.id, isSystemAdmin: false }, root);
    expect((await me(adminToken.token)).status).toBe(401);
    expect(
      (
        await h.query(
          "users.list",
          { organizationId: org },
          { credentials: { bearer: orgToken.token } },
        )
      ).status,
    ).toBe(200);
    expect((await auditDetails(h.db, "user.update", creator.id)).stoppedServiceTokens).toEqual([
      { id: adminToken.id, name: "admin sync" },
    ]);

    // Demoted to MEMBER of the organization (through orgs.addMember's upsert): it stops.
    await h.mutationOk(
      "orgs.addMember",
      { organizationId: org, userId: creator.id, role: "MEMBER" },
      otherAdmin.creds,
    );
    expect((await me(orgToken.token)).status).toBe(401);
    const setRole = await h.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "org.member.setRole", targetId: org },
      orderBy: { createdAt: "desc" },
    });
    expect((setRole.details as Record<string, unknown>).stoppedServiceTokens).toEqual([
      { id: orgToken.id, name: "org sync" },
    ]);
  });

  it("serviceTokens.list shows the creator and the last use, written at most once a minute", async () => {
    const creator = await person("listed-creator", { isSystemAdmin: true });
    const created = await h.mutationOk<Out<"serviceTokens.create">>(
      "serviceTokens.create",
      { name: "listed", scope: "admin" },
      creator.creds,
    );
    const listed = async () =>
      (await h.queryOk<Out<"serviceTokens.list">>("serviceTokens.list", undefined, root)).find(
        (t) => t.id === created.id,
      )!;
    expect(await listed()).toMatchObject({
      lastUsedAt: null,
      createdBy: { id: creator.id, email: creator.email, name: expect.any(String) },
    });

    const t0 = h.clock.now();
    expect((await me(created.token)).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(t0.toISOString());
    h.clock.advance(30_000);
    expect((await me(created.token)).status).toBe(200);
    expect((await listed()).lastUsedAt, "not rewritten within a minute").toBe(t0.toISOString());
    h.clock.advance(30_000);
    expect((await me(created.token)).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(h.clock.now().toISOString());
  });
});
