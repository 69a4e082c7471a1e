/**
 * teams.list end to end (HTTP + real database): the visible set per role, filters that
 * only narrow (the mistakes LiteLLM's /v2/team/list made: an org admin losing their own
 * teams elsewhere, filters that widened the set), paging by offset and by cursor,
 * sorting, per-page counts and the expired badge.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import { insertServiceToken, insertSession, insertUser } from "../support/fixtures.ts";

type Page = Out<"teams.list">;

let h: Harness;
const ids: Record<string, string> = {};
const teamsOf: Record<string, string[]> = { A: [], B: [], C: [], none: [] };
const creds: Record<string, Credentials> = {};

beforeAll(async () => {
  h = await startHarness();
  const p = h.db.prisma;
  for (const name of ["A", "B", "C"])
    ids[`org${name}`] = (await p.organization.create({ data: { name: `Org ${name}` } })).id;
  ids.orgAdminA = await insertUser(h.db, { email: "orgadmin-a@example.com" });
  ids.member = await insertUser(h.db, { email: "member@example.com" });
  ids.outsider = await insertUser(h.db, { email: "outsider@example.com" });
  ids.other = await insertUser(h.db, { email: "other@example.com" });
  ids.admin = await insertUser(h.db, { email: "admin@example.com", isSystemAdmin: true });
  await p.organizationMember.create({
    data: { organizationId: ids.orgA!, userId: ids.orgAdminA, role: "ORG_ADMIN" },
  });

  // Creation times one minute apart, so the default order is known.
  const base = h.clock.now().getTime() - 1000 * 60 * 60 * 24 * 10;
  let n = 0;
  const mk = async (org: "A" | "B" | "C" | "none", name: string) => {
    const team = await p.team.create({
      data: {
        name,
        organizationId: org === "none" ? null : ids[`org${org}`]!,
        createdAt: new Date(base + n++ * 60_000),
        lastPaymentAt: new Date(h.clock.now().getTime() - 86_400_000),
      },
    });
    teamsOf[org]!.push(team.id);
    return team.id;
  };
  for (let i = 0; i < 30; i++) await mk("A", `alpha ${String(i).padStart(2, "0")}`);
  for (let i = 0; i < 5; i++) await mk("B", `beta ${i}`);
  for (let i = 0; i < 3; i++) await mk("C", `gamma ${i}`);
  for (let i = 0; i < 2; i++) await mk("none", `loose ${i}`);

  // orgAdminA is a plain member of B's first team: they must see it beside their org's teams.
  await p.teamMember.create({
    data: { teamId: teamsOf.B![0]!, userId: ids.orgAdminA, role: "MEMBER" },
  });
  // member belongs to A0 and B1; other belongs to A1, B2 and C0.
  await p.teamMember.createMany({
    data: [
      { teamId: teamsOf.A![0]!, userId: ids.member, role: "ADMIN" },
      { teamId: teamsOf.B![1]!, userId: ids.member, role: "READ_ONLY" },
      { teamId: teamsOf.A![1]!, userId: ids.other, role: "MEMBER" },
      { teamId: teamsOf.B![2]!, userId: ids.other, role: "MEMBER" },
      { teamId: teamsOf.C![0]!, userId: ids.other, role: "MEMBER" },
    ],
  });
  // Expired: never paid and created long ago, no product. Rescued from expiry by a product.
  await p.team.update({
    where: { id: teamsOf.C![1]! },
    data: { lastPaymentAt: null, createdAt: new Date(base - 1000 * 86_400_000) },
  });
  await p.team.update({
    where: { id: teamsOf.C![2]! },
    data: { lastPaymentAt: null, createdAt: new Date(base - 1000 * 86_400_000) },
  });
  const product = await p.product.create({ data: { name: "Pro" } });
  await p.teamProduct.create({ data: { teamId: teamsOf.C![2]!, productId: product.id } });
  const region = await p.region.create({
    data: {
      name: "r1",
      litellmBaseUrl: "http://127.0.0.1:1",
      litellmMasterKey: "sk-master-secret",
    },
  });
  await p.apiKey.createMany({
    data: [0, 1, 2].map((i) => ({
      name: `k${i}`,
      teamId: teamsOf.A![0]!,
      regionId: region.id,
      keyPrefix: "sk-x",
    })),
  });

  for (const who of ["orgAdminA", "member", "outsider", "admin"])
    creds[who] = { cookie: await insertSession(h, ids[who]!) };
  creds.orgToken = { bearer: await insertServiceToken(h.db, { organizationId: ids.orgA! }) };
});
afterAll(() => h?.close());

async function list(who: string, input: Record<string, unknown> = {}) {
  return h.query<Page>("teams.list", input, { credentials: creds[who]! });
}
async function allIds(who: string, input: Record<string, unknown> = {}): Promise<string[]> {
  const res = await list(who, { ...input, pageSize: 100 });
  expect(res.status).toBe(200);
  return res.data.items.map((i) => i.id).sort();
}
const sorted = (xs: string[]) => [...xs].sort();

describe("visible set", () => {
  it("system admin sees every team", async () => {
    const res = await list("admin");
    expect(res.data.total).toBe(40);
    expect(res.data.items).toHaveLength(25);
    expect(res.data.totalPages).toBe(2);
  });

  it("org admin without filters sees all of their org's teams plus their own elsewhere", async () => {
    expect(await allIds("orgAdminA")).toEqual(sorted([...teamsOf.A!, teamsOf.B![0]!]));
  });

  it("a plain member sees only their teams", async () => {
    expect(await allIds("member")).toEqual(sorted([teamsOf.A![0]!, teamsOf.B![1]!]));
  });

  it("a caller who sees nothing gets an empty page", async () => {
    const res = await list("outsider");
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ items: [], total: 0, nextCursor: null });
  });

  it("an org-scoped service token sees its organization", async () => {
    expect(await allIds("orgToken")).toEqual(sorted(teamsOf.A!));
  });
});

describe("filters narrow and never widen", () => {
  it("org admin asking for another user gets only that user's teams inside the visible set", async () => {
    expect(await allIds("orgAdminA", { userId: ids.other })).toEqual([teamsOf.A![1]!]);
  });

  it("org admin cannot reach another org's team by teamId, name or search", async () => {
    expect(await allIds("orgAdminA", { teamId: teamsOf.C![0] })).toEqual([]);
    expect(await allIds("orgAdminA", { name: "gamma" })).toEqual([]);
    expect(await allIds("orgAdminA", { search: "gamma" })).toEqual([]);
    expect(await allIds("orgAdminA", { search: teamsOf.C![0] })).toEqual([]);
  });

  it("organizationId of an org where the caller sees nothing is FORBIDDEN", async () => {
    expect((await list("orgAdminA", { organizationId: ids.orgC })).status).toBe(403);
    expect((await list("member", { organizationId: ids.orgC })).status).toBe(403);
    expect((await list("orgToken", { organizationId: ids.orgB })).status).toBe(403);
  });

  it("organizationId of an org where the caller only belongs to a team gives just those teams", async () => {
    expect(await allIds("orgAdminA", { organizationId: ids.orgB })).toEqual([teamsOf.B![0]!]);
  });

  it("a regular user asking for another user's teams is FORBIDDEN", async () => {
    expect((await list("member", { userId: ids.other })).status).toBe(403);
    expect((await list("member", { userId: ids.member })).status).toBe(200);
  });

  it("admin filters by user, organization, name (case-insensitive), id search", async () => {
    expect(await allIds("admin", { userId: ids.other })).toEqual(
      sorted([teamsOf.A![1]!, teamsOf.B![2]!, teamsOf.C![0]!]),
    );
    expect(await allIds("admin", { organizationId: ids.orgB })).toEqual(sorted(teamsOf.B!));
    expect(await allIds("admin", { name: "BETA" })).toEqual(sorted(teamsOf.B!));
    expect(await allIds("admin", { search: teamsOf.C![1] })).toEqual([teamsOf.C![1]!]);
    // LIKE wildcards in the input are literal.
    expect(await allIds("admin", { name: "%" })).toEqual([]);
    expect(await allIds("admin", { name: "alpha _1" })).toEqual([]);
  });

  it("expired filter and badge agree with core's rule", async () => {
    expect(await allIds("admin", { expired: true })).toEqual([teamsOf.C![1]!]);
    const notExpired = await allIds("admin", { expired: false });
    expect(notExpired).toHaveLength(39);
    const res = await list("admin", { organizationId: ids.orgC, pageSize: 10 });
    const badge = Object.fromEntries(res.data.items.map((i) => [i.id, i.expired]));
    expect(badge).toEqual({
      [teamsOf.C![0]!]: false,
      [teamsOf.C![1]!]: true,
      [teamsOf.C![2]!]: false,
    });
  });
});

describe("paging and sorting", () => {
  it("defaults to createdAt desc (gamma 1 and 2 were back-dated above)", async () => {
    const res = await list("admin", { pageSize: 3 });
    expect(res.data.items.map((i) => i.name)).toEqual(["loose 1", "loose 0", "gamma 0"]);
  });

  it("walks every team exactly once by cursor, matching offset pages", async () => {
    for (const sortBy of ["createdAt", "name", "id"] as const)
      for (const sortOrder of ["asc", "desc"] as const) {
        const byCursor: string[] = [];
        let cursor: string | null = null;
        do {
          const res: Awaited<ReturnType<typeof list>> = await list("admin", {
            pageSize: 7,
            sortBy,
            sortOrder,
            ...(cursor ? { cursor } : {}),
          });
          expect(res.status).toBe(200);
          byCursor.push(...res.data.items.map((i) => i.id));
          cursor = res.data.nextCursor;
        } while (cursor);
        const byOffset: string[] = [];
        for (let page = 1; page <= 6; page++) {
          const res = await list("admin", { pageSize: 7, page, sortBy, sortOrder });
          byOffset.push(...res.data.items.map((i) => i.id));
        }
        expect(byCursor).toHaveLength(40);
        expect(new Set(byCursor).size).toBe(40);
        expect(byCursor).toEqual(byOffset);
      }
  });

  it("pages through a union of branches (org admin) without repeats", async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const res = await list("orgAdminA", { pageSize: 10, page, sortBy: "name", sortOrder: "asc" });
      seen.push(...res.data.items.map((i) => i.name));
    }
    expect(seen).toHaveLength(31);
    expect(seen).toEqual([...seen].sort());
  });

  it("refuses a cursor from another sort and a forged cursor", async () => {
    const first = await list("admin", { pageSize: 5, sortBy: "name" });
    const res = await list("admin", { cursor: first.data.nextCursor, sortBy: "createdAt" });
    expect(res.status).toBe(400);
    expect((await list("admin", { cursor: "not-a-cursor" })).status).toBe(400);
  });

  it("validates input with field-level errors", async () => {
    const res = await list("admin", { pageSize: 101, page: 0, sortBy: "members", teamId: "x" });
    expect(res.status).toBe(400);
    expect(Object.keys(res.error!.data.fieldErrors!).sort()).toEqual([
      "page",
      "pageSize",
      "sortBy",
      "teamId",
    ]);
  });
});

describe("items", () => {
  it("carry organization, member and key counts and active products", async () => {
    const res = await list("admin", {
      organizationId: ids.orgA,
      sortBy: "createdAt",
      sortOrder: "asc",
      pageSize: 2,
    });
    const [a0, a1] = res.data.items;
    expect(a0).toMatchObject({
      name: "alpha 00",
      organization: { id: ids.orgA, name: "Org A" },
      membersCount: 1,
      keysCount: 3,
    });
    expect(a1).toMatchObject({ name: "alpha 01", membersCount: 1, keysCount: 0 });
    const c = await list("admin", { teamId: teamsOf.C![2] });
    expect(c.data.items[0]!.activeProducts.map((p) => p.name)).toEqual(["Pro"]);
    const loose = await list("admin", { search: "loose 0" });
    expect(loose.data.items[0]!.organization).toBeNull();
  });
});
