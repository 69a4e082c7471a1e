/**
 * Identity providers' queries on both backends: a domain belongs to one provider, replacing
 * group rules keeps the ids of unchanged rules (the memberships they made still name them),
 * a sign-in attempt is taken once, and `ssoRequired` follows the enforcing organizations.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consumeLoginAttempt,
  findProviderByDomain,
  insertIdentityProvider,
  insertLoginAttempt,
  replaceGroupRules,
  updateIdentityProvider,
} from "../src/identity-providers/index.ts";
import { setOrganizationSsoEnforced, ssoRequired } from "../src/orgs/sso.ts";
import { transaction } from "../src/transaction.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let org: string;
const now = new Date("2026-12-06T00:00:00Z");

const provider = (domains: string[]) => ({
  id: crypto.randomUUID(),
  organizationId: null,
  issuer: "https://idp.example.com",
  clientId: "gatehouse",
  clientSecretSealed: "v1.a.b.c",
  domains,
  jitProvisioning: false,
  groupsClaim: "groups",
  now,
});

beforeAll(async () => {
  db = await createTestDatabase();
  ({ id: org } = await db.prisma.organization.create({ data: { name: "Queries Org" } }));
});
afterAll(() => db?.close());

describe("identity provider queries", () => {
  it("gives a domain to one provider only", async () => {
    const first = provider(["one.test", "two.test"]);
    expect(await transaction(db, (tx) => insertIdentityProvider(tx, first))).toEqual({
      outcome: "ok",
      id: first.id,
    });
    expect(
      await transaction(db, (tx) =>
        insertIdentityProvider(tx, provider(["three.test", "two.test"])),
      ),
    ).toEqual({ outcome: "domainTaken", domain: "two.test" });
    const second = provider(["three.test"]);
    await transaction(db, (tx) => insertIdentityProvider(tx, second));
    expect(
      await transaction(db, (tx) =>
        updateIdentityProvider(tx, second.id, { domains: ["one.test"] }),
      ),
    ).toEqual({ outcome: "domainTaken", domain: "one.test" });
    // Its own domains are not "taken" by itself.
    expect(
      await transaction(db, (tx) =>
        updateIdentityProvider(tx, first.id, { domains: ["two.test", "four.test"] }),
      ),
    ).toEqual({ outcome: "ok", id: first.id });
    expect((await findProviderByDomain(db, "four.test"))?.id).toBe(first.id);
    expect(await findProviderByDomain(db, "one.test")).toBeNull();
  });

  it("keeps the ids of unchanged rules when replacing them", async () => {
    const p = provider(["rules.test"]);
    await transaction(db, (tx) => insertIdentityProvider(tx, p));
    const rule = (group: string) => ({
      group,
      organizationId: org,
      orgRole: null,
      teamId: null,
      teamRole: null,
    });
    await transaction(db, (tx) => replaceGroupRules(tx, p.id, [rule("a"), rule("b")], now));
    const before = await db.prisma.identityProviderGroupRule.findMany({
      where: { providerId: p.id },
    });
    const counts = await transaction(db, (tx) =>
      replaceGroupRules(tx, p.id, [rule("a"), rule("c")], now),
    );
    expect(counts).toEqual({ kept: 1, added: 1, removed: 1 });
    const after = await db.prisma.identityProviderGroupRule.findMany({
      where: { providerId: p.id },
    });
    const idOf = (rows: typeof before, group: string) => rows.find((r) => r.group === group)?.id;
    expect(idOf(after, "a")).toBe(idOf(before, "a"));
    expect(after.map((r) => r.group).sort()).toEqual(["a", "c"]);
  });

  it("takes a sign-in attempt once", async () => {
    const p = provider(["attempts.test"]);
    await transaction(db, (tx) => insertIdentityProvider(tx, p));
    await insertLoginAttempt(db, {
      stateHash: "state-hash",
      providerId: p.id,
      nonce: "n",
      codeVerifier: "v",
      browserHash: "b",
      expiresAt: new Date(now.getTime() + 600_000),
      now,
    });
    expect(await consumeLoginAttempt(db, "state-hash")).toMatchObject({
      providerId: p.id,
      nonce: "n",
    });
    expect(await consumeLoginAttempt(db, "state-hash")).toBeNull();
  });

  it("requires SSO of members of an enforcing organization, not of system admins", async () => {
    const member = await db.prisma.user.create({ data: { email: "m@queries.test", name: "m" } });
    const admin = await db.prisma.user.create({
      data: { email: "a@queries.test", name: "a", isSystemAdmin: true },
    });
    await db.prisma.organizationMember.createMany({
      data: [
        { organizationId: org, userId: member.id },
        { organizationId: org, userId: admin.id },
      ],
    });
    expect(await ssoRequired(db, member.id)).toBe(false);
    await transaction(db, (tx) => setOrganizationSsoEnforced(tx, org, true));
    expect(await ssoRequired(db, member.id)).toBe(true);
    expect(await ssoRequired(db, admin.id)).toBe(false);
    expect(await ssoRequired(db, crypto.randomUUID())).toBe(false);
  });
});
