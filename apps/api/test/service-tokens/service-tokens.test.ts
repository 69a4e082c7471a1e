/**
 * Service tokens end to end: the secret is shown once and only its hash is stored, it
 * works as a bearer token, an admin-scoped token acts as a system admin and an org-scoped
 * one as that organization's admin (and nothing more), and revocation stops it at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/auth/tokens.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { call, type CallResult, type Credentials, type Out } from "../support/http.ts";
import {
  addOrgMember,
  insertOrganization,
  insertSession,
  insertUser,
} from "../support/fixtures.ts";
import { withAuditRefused } from "../support/database.ts";

type Token = Out<"serviceTokens.revoke">;
type CreatedToken = Out<"serviceTokens.create">;
type Me = Extract<Out<"auth.me">, { kind: "service" }>;

let h: Harness;
let adminId: string;
let orgA: string;
let orgB: string;
let memberA: string;
let memberB: string;

beforeAll(async () => {
  h = await startHarness();
  adminId = await insertUser(h.db, { email: "root@tokens.example.com", isSystemAdmin: true });
  orgA = await insertOrganization(h.db, "Token Org A");
  orgB = await insertOrganization(h.db, "Token Org B");
  memberA = await insertUser(h.db, { email: "a@tokens.example.com" });
  memberB = await insertUser(h.db, { email: "b@tokens.example.com" });
  await addOrgMember(h.db, orgA, memberA, "MEMBER");
  await addOrgMember(h.db, orgB, memberB, "MEMBER");
});
afterAll(() => h?.close());

async function admin(): Promise<Credentials> {
  return { cookie: await insertSession(h, adminId) };
}

async function createToken(
  input: unknown,
  credentials?: Credentials,
): Promise<CallResult<CreatedToken>> {
  return h.mutation<CreatedToken>("serviceTokens.create", input, {
    credentials: credentials ?? (await admin()),
  });
}

function me(bearer: string) {
  return h.query<Me>("auth.me", undefined, { credentials: { bearer } });
}

describe("serviceTokens.create", () => {
  it("shows the secret once, stores only its hash, and audits the creation", async () => {
    const res = await createToken({ name: "billing sync", scope: "admin" });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      name: "billing sync",
      scope: "admin",
      organizationId: null,
      revokedAt: null,
    });
    expect(res.data.token).toMatch(/^ghst_[A-Za-z0-9_-]{43}$/);

    const row = await h.db.prisma.serviceToken.findUniqueOrThrow({ where: { id: res.data.id } });
    expect(row.tokenHash).toBe(hashToken(res.data.token));
    expect(JSON.stringify(row)).not.toContain(res.data.token);

    // Never again: the list has no secret (and no hash).
    const listed = await h.query<Out<"serviceTokens.list">>("serviceTokens.list", undefined, {
      credentials: await admin(),
    });
    const entry = listed.data.find((t) => t.id === res.data.id);
    expect(entry).toBeDefined();
    expect(JSON.stringify(listed.data)).not.toContain(res.data.token);
    expect(JSON.stringify(listed.data)).not.toContain(row.tokenHash);
    expect(Object.keys(entry!)).not.toContain("token");

    const events = await h.db.prisma.auditEvent.findMany({
      where: { action: "serviceToken.create", targetId: res.data.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: adminId,
      requestId: res.headers.get("x-request-id"),
    });
    expect(JSON.stringify(events[0]!.details)).not.toContain(res.data.token);
  });

  it("rejects bad input with field errors and creates nothing", async () => {
    const before = await h.db.prisma.serviceToken.count();
    const noOrg = await createToken({ name: "scoped", scope: "organization" });
    expect(noOrg.status).toBe(400);
    expect(Object.keys(noOrg.error?.data.fieldErrors ?? {})).toContain("organizationId");

    const badScope = await createToken({ name: "x", scope: "superuser" });
    expect(badScope.status).toBe(400);

    const emptyName = await createToken({ name: "  ", scope: "admin" });
    expect(emptyName.status).toBe(400);
    expect(Object.keys(emptyName.error?.data.fieldErrors ?? {})).toEqual(["name"]);

    // An admin token must not carry an organization (it would look scoped and is not).
    const mixed = await createToken({ name: "mixed", scope: "admin", organizationId: orgA });
    expect(mixed.status).toBe(400);

    expect(await h.db.prisma.serviceToken.count()).toBe(before);
  });

  it("answers 404 for an organization that does not exist", async () => {
    const res = await createToken({
      name: "ghost org",
      scope: "organization",
      organizationId: crypto.randomUUID(),
    });
    expect(res.status).toBe(404);
  });

  it("cannot be used by a token to mint a wider one", async () => {
    const scoped = await createToken({
      name: "scoped A",
      scope: "organization",
      organizationId: orgA,
    });
    const res = await createToken(
      { name: "escalated", scope: "admin" },
      { bearer: scoped.data.token },
    );
    expect(res.status).toBe(403);
  });
});

describe("using a token", () => {
  it("authenticates as a bearer token and records its last use", async () => {
    const created = await createToken({ name: "last use", scope: "admin" });
    const res = await me(created.data.token);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      kind: "service",
      serviceTokenId: created.data.id,
      scope: "admin",
      organizationId: null,
    });
    const row = await h.db.prisma.serviceToken.findUniqueOrThrow({
      where: { id: created.data.id },
    });
    expect(row.lastUsedAt?.getTime()).toBe(h.clock.now().getTime());
  });

  it("with admin scope, acts as a system admin", async () => {
    const created = await createToken({ name: "admin scope", scope: "admin" });
    const bearer = { bearer: created.data.token };
    const made = await h.mutation(
      "users.create",
      {
        email: "made-by-token@tokens.example.com",
        name: "Made",
        password: "a long enough password",
      },
      { credentials: bearer },
    );
    expect(made.status).toBe(200);
    const all = await h.query<Out<"users.list">>("users.list", {}, { credentials: bearer });
    expect(all.data.total).toBe(await h.db.prisma.user.count());
  });

  it("with organization scope, sees only its organization and cannot act as an admin", async () => {
    const created = await createToken({
      name: "org A scope",
      scope: "organization",
      organizationId: orgA,
    });
    const bearer = { bearer: created.data.token };
    expect((await me(created.data.token)).data).toMatchObject({
      scope: "organization",
      organizationId: orgA,
    });

    const listed = await h.query<Out<"users.list">>(
      "users.list",
      { pageSize: 100 },
      { credentials: bearer },
    );
    expect(listed.status).toBe(200);
    expect(listed.data.items.map((u) => u.id)).toEqual([memberA]);
    expect(
      (await h.query("users.list", { organizationId: orgB }, { credentials: bearer })).status,
    ).toBe(403);

    for (const [type, path, input] of [
      [
        "mutation",
        "users.create",
        { email: "no@tokens.example.com", name: "No", password: "a long enough password" },
      ],
      ["mutation", "users.update", { userId: memberA, name: "Renamed by org token" }],
      ["query", "serviceTokens.list", undefined],
      ["query", "sessions.list", { userId: memberA }],
    ] as const) {
      expect((await call(h.url, type, path, input, { credentials: bearer })).status, path).toBe(
        403,
      );
    }
  });

  it("is not accepted as a session cookie, nor a session token as a bearer token", async () => {
    const created = await createToken({ name: "wrong place", scope: "admin" });
    const asCookie = await h.query("auth.me", undefined, {
      credentials: { cookie: created.data.token },
    });
    expect(asCookie.status).toBe(401);
    const session = await insertSession(h, adminId);
    const asBearer = await h.query("auth.me", undefined, {
      credentials: { bearer: session },
    });
    expect(asBearer.status).toBe(401);
  });

  it("refuses an unknown token with 401, like no token at all", async () => {
    expect((await me("ghst_thisTokenWasNeverIssuedByGatehouse0000000000")).status).toBe(401);
  });
});

describe("serviceTokens.revoke", () => {
  it("stops the token at once, keeps the row, and audits it", async () => {
    const created = await createToken({
      name: "to revoke",
      scope: "organization",
      organizationId: orgA,
    });
    expect((await me(created.data.token)).status).toBe(200);

    const res = await h.mutation<Token>(
      "serviceTokens.revoke",
      { serviceTokenId: created.data.id },
      {
        credentials: await admin(),
      },
    );
    expect(res.status).toBe(200);
    expect(res.data.revokedAt).toBe(h.clock.now().toISOString());
    expect((await me(created.data.token)).status).toBe(401);

    const events = await h.db.prisma.auditEvent.findMany({
      where: { action: "serviceToken.revoke", targetId: created.data.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorUserId: adminId, organizationId: orgA });
  });

  it("is idempotent: revoking again keeps the first revocation time", async () => {
    const created = await createToken({ name: "twice", scope: "admin" });
    const first = await h.mutation<Token>(
      "serviceTokens.revoke",
      { serviceTokenId: created.data.id },
      {
        credentials: await admin(),
      },
    );
    h.clock.advance(60_000);
    const second = await h.mutation<Token>(
      "serviceTokens.revoke",
      { serviceTokenId: created.data.id },
      {
        credentials: await admin(),
      },
    );
    expect(second.status).toBe(200);
    expect(second.data.revokedAt).toBe(first.data.revokedAt);
  });

  it("lets a token revoke itself when it is admin-scoped, and then it is gone", async () => {
    const created = await createToken({ name: "self revoke", scope: "admin" });
    const res = await h.mutation(
      "serviceTokens.revoke",
      { serviceTokenId: created.data.id },
      {
        credentials: { bearer: created.data.token },
      },
    );
    expect(res.status).toBe(200);
    expect((await me(created.data.token)).status).toBe(401);
    const events = await h.db.prisma.auditEvent.findMany({
      where: { action: "serviceToken.revoke", targetId: created.data.id },
    });
    expect(events[0]?.actorServiceTokenId).toBe(created.data.id);
  });

  it("answers 404 for an unknown token and 400 for a malformed id", async () => {
    const credentials = await admin();
    expect(
      (
        await h.mutation(
          "serviceTokens.revoke",
          { serviceTokenId: crypto.randomUUID() },
          { credentials },
        )
      ).status,
    ).toBe(404);
    const bad = await h.mutation("serviceTokens.revoke", { serviceTokenId: "x" }, { credentials });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.error?.data.fieldErrors ?? {})).toEqual(["serviceTokenId"]);
  });

  it("is refused to anyone but a system admin, and the token keeps working", async () => {
    const created = await createToken({
      name: "protected",
      scope: "organization",
      organizationId: orgA,
    });
    const orgAdmin = await insertUser(h.db, { email: "org-admin@tokens.example.com" });
    await addOrgMember(h.db, orgA, orgAdmin, "ORG_ADMIN");
    const res = await h.mutation(
      "serviceTokens.revoke",
      { serviceTokenId: created.data.id },
      {
        credentials: { cookie: await insertSession(h, orgAdmin) },
      },
    );
    expect(res.status).toBe(403);
    // Not even the token itself, when only org-scoped.
    const self = await h.mutation(
      "serviceTokens.revoke",
      { serviceTokenId: created.data.id },
      {
        credentials: { bearer: created.data.token },
      },
    );
    expect(self.status).toBe(403);
    expect((await me(created.data.token)).status).toBe(200);
  });
});

describe("audit events are written in the same transaction as the change", () => {
  it("serviceTokens.create: no event, no token", async () => {
    const before = await h.db.prisma.serviceToken.count();
    await withAuditRefused(h.db, "serviceToken.create", async () => {
      const res = await createToken({ name: "unaudited", scope: "admin" });
      expect(res.status).toBe(500);
      expect(res.data).toBeUndefined();
    });
    expect(await h.db.prisma.serviceToken.count()).toBe(before);
  });

  it("serviceTokens.revoke: no event, still working", async () => {
    const created = await createToken({ name: "unaudited revoke", scope: "admin" });
    await withAuditRefused(h.db, "serviceToken.revoke", async () => {
      const res = await h.mutation(
        "serviceTokens.revoke",
        { serviceTokenId: created.data.id },
        {
          credentials: await admin(),
        },
      );
      expect(res.status).toBe(500);
    });
    expect((await me(created.data.token)).status).toBe(200);
  });
});
