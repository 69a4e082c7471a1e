/**
 * users.list over HTTP: org-scoped listing for organization admins, the whole directory for
 * system admins, and its pages.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as fx from "../support/fixtures.ts";
import { h, adminId, as, newUser, list } from "./suite.ts";
describe("users.list", () => {
  let orgX: string;
  let orgY: string;
  let adminX: string;
  const xMembers: string[] = [];
  const yMembers: string[] = [];

  beforeAll(async () => {
    orgX = await fx.insertOrganization(h.db, "List Org X");
    orgY = await fx.insertOrganization(h.db, "List Org Y");
    adminX = await newUser();
    await fx.addOrgMember(h.db, orgX, adminX, "ORG_ADMIN");
    xMembers.push(adminX);
    for (let i = 0; i < 3; i++) {
      const x = await newUser({ name: `Xavier ${i}` });
      await fx.addOrgMember(h.db, orgX, x, "MEMBER");
      xMembers.push(x);
      const y = await newUser({ name: `Yolanda ${i}` });
      await fx.addOrgMember(h.db, orgY, y, "MEMBER");
      yMembers.push(y);
    }
  });

  it("shows a system admin everyone, paginated", async () => {
    const admin = await as(adminId);
    const total = await h.db.prisma.user.count();
    const first = await list({ pageSize: 2 }, admin);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      total,
      page: 1,
      pageSize: 2,
      totalPages: Math.ceil(total / 2),
    });
    expect(first.data.items).toHaveLength(2);
    const second = await list({ pageSize: 2, page: 2 }, admin);
    expect(second.data.items.map((u) => u.id)).not.toContain(first.data.items[0]!.id);
  });

  it("searches names and emails case-insensitively", async () => {
    const res = await list({ search: "yOLANDA", pageSize: 100 }, await as(adminId));
    expect(res.data.items.map((u) => u.id).sort()).toEqual([...yMembers].sort());
  });

  it("shows an org admin only their organizations' members", async () => {
    const credentials = await as(adminX);
    const all = await list({ pageSize: 100 }, credentials);
    expect(all.status).toBe(200);
    expect(all.data.items.map((u) => u.id).sort()).toEqual([...xMembers].sort());
    expect(all.data.total).toBe(xMembers.length);

    const scoped = await list({ organizationId: orgX, pageSize: 100 }, credentials);
    expect(scoped.data.items.map((u) => u.id).sort()).toEqual([...xMembers].sort());

    // A search does not widen the scope.
    const searched = await list({ search: "yolanda", pageSize: 100 }, credentials);
    expect(searched.data.items).toEqual([]);

    const other = await list({ organizationId: orgY }, credentials);
    expect(other.status).toBe(403);
  });

  it("shows an org-scoped service token only its organization's members", async () => {
    const bearer = await fx.insertServiceToken(h.db, { organizationId: orgY });
    const res = await list({ pageSize: 100 }, { bearer });
    expect(res.status).toBe(200);
    expect(res.data.items.map((u) => u.id).sort()).toEqual([...yMembers].sort());
    expect((await list({ organizationId: orgX }, { bearer })).status).toBe(403);
  });

  it("refuses plain members", async () => {
    expect((await list({}, await as(xMembers[1]!))).status).toBe(403);
  });

  it("rejects out-of-range paging with field errors", async () => {
    const res = await list({ pageSize: 1000, page: 0 }, await as(adminId));
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors ?? {}).sort()).toEqual(["page", "pageSize"]);
  });
});
