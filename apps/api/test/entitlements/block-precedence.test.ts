/**
 * A block is lifted only at the level it was placed or above, over HTTP: a team admin
 * cannot lift a key block an organization admin placed, nor an organization admin a team
 * block a system admin placed; blocking again from above takes a block over. Every block
 * says who placed it, why and at which level, and `canUnblock` tells the UI whether to
 * offer Unblock to this caller.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

type Key = Out<"keys.list">["items"][number];

let h: SyncHarness;
let teamId: string;
let orgId: string;
let teamAdmin: Credentials;
let orgAdmin: Credentials;
let orgToken: Credentials;
let systemAdmin: Credentials;
let counter = 0;

async function person(
  name: string,
  isSystemAdmin = false,
): Promise<{ id: string; creds: Credentials }> {
  counter += 1;
  const id = await fx.insertUser(h.db, {
    email: `person${counter}@blocks.example.com`,
    name,
    isSystemAdmin,
  });
  return { id, creds: { cookie: await fx.insertSession(h, id) } };
}

beforeAll(async () => {
  h = await startHarness({ litellm: true });
  orgId = await fx.insertOrganization(h.db, "Blocks Org");
  teamId = await fx.insertTeam(h.db, { name: "Blocks Team", organizationId: orgId });
  const ta = await person("Tessa Team-Admin");
  await fx.addOrgMember(h.db, orgId, ta.id, "MEMBER");
  await fx.addTeamMember(h.db, teamId, ta.id, "ADMIN");
  teamAdmin = ta.creds;
  const oa = await person("Olga Org-Admin");
  await fx.addOrgMember(h.db, orgId, oa.id, "ORG_ADMIN");
  orgAdmin = oa.creds;
  orgToken = {
    bearer: await fx.insertServiceToken(h.db, { organizationId: orgId }, false, {
      createdById: oa.id,
      name: "org automation",
    }),
  };
  systemAdmin = (await person("Sam System-Admin", true)).creds;
});
afterAll(() => h?.close());

async function newKey(): Promise<string> {
  counter += 1;
  const created = await h.mutationOk<Out<"keys.create">>(
    "keys.create",
    { teamId, regionId: h.region.id, name: `key-${counter}` },
    teamAdmin,
  );
  return created.key.id;
}

const keyOp = (op: "block" | "unblock", input: object, creds: Credentials) =>
  h.mutation<Out<"keys.block">>(`keys.${op}`, input, { credentials: creds });

async function keyAs(keyId: string, creds: Credentials): Promise<Key> {
  const page = await h.queryOk<Out<"keys.list">>("keys.list", { teamId, pageSize: 100 }, creds);
  return page.items.find((k) => k.id === keyId)!;
}

describe("key blocks", () => {
  it("a team admin cannot lift a block an organization admin placed; the org admin can", async () => {
    const keyId = await newKey();
    const placed = await keyOp("block", { keyId, reason: "leaked in a ticket" }, orgAdmin);
    expect(placed.status).toBe(200);
    expect(placed.data?.manualBlock).toMatchObject({
      placedBy: "Olga Org-Admin",
      level: "organization",
      note: "leaked in a ticket",
    });

    const seen = await keyAs(keyId, teamAdmin);
    expect(seen.blocked).toBe(true);
    expect(seen.manualBlock).toMatchObject({ placedBy: "Olga Org-Admin", level: "organization" });
    expect(seen.canUnblock).toBe(false);

    const refused = await keyOp("unblock", { keyId }, teamAdmin);
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toMatch(/organization admin/);
    expect(await h.db.prisma.apiKeyBlock.count({ where: { apiKeyId: keyId } })).toBe(1);
    expect(
      await h.db.prisma.auditEvent.count({ where: { action: "key.unblock", targetId: keyId } }),
    ).toBe(0);

    expect((await keyAs(keyId, orgAdmin)).canUnblock).toBe(true);
    const lifted = await keyOp("unblock", { keyId }, orgAdmin);
    expect(lifted.status).toBe(200);
    expect(lifted.data?.blocked).toBe(false);
  });

  it("a team admin lifts their own block", async () => {
    const keyId = await newKey();
    const placed = await keyOp("block", { keyId }, teamAdmin);
    expect(placed.data?.manualBlock).toMatchObject({ placedBy: "Tessa Team-Admin", level: "team" });
    expect(placed.data?.canUnblock).toBe(true);
    expect((await keyOp("unblock", { keyId }, teamAdmin)).status).toBe(200);
  });

  it("blocking again from above takes the block over; from below changes nothing", async () => {
    const keyId = await newKey();
    await keyOp("block", { keyId, reason: "mine" }, teamAdmin);
    const raised = await keyOp("block", { keyId, reason: "under review" }, orgToken);
    expect(raised.data?.manualBlock).toMatchObject({
      placedBy: "org automation",
      level: "organization",
      note: "under review",
    });
    const again = await keyOp("block", { keyId, reason: "still mine" }, teamAdmin);
    expect(again.data?.manualBlock).toMatchObject({ level: "organization", note: "under review" });
    expect(again.data?.canUnblock).toBe(false);
    expect((await keyOp("unblock", { keyId }, teamAdmin)).status).toBe(403);
    expect((await keyOp("unblock", { keyId }, systemAdmin)).status).toBe(200);
  });
});

describe("manual blocks from before levels were recorded", () => {
  /** The data migration that gives them a level, as deployed (run again over rows made levelless here). */
  async function runLevelBackfill(): Promise<void> {
    const sql = fs.readFileSync(
      new URL(
        "../../../../packages/db/prisma/migrations/20261205194500_manual_block_levels/migration.sql",
        import.meta.url,
      ),
      "utf8",
    );
    const statements = sql
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join("\n")
      .split(";")
      .map((statement) => statement.trim())
      .filter((statement) => statement.length > 0);
    expect(statements.length).toBe(2);
    for (const statement of statements) await h.db.prisma.$executeRawUnsafe(statement);
  }

  it("take the organization level: a team admin can no longer lift them, an organization admin can", async () => {
    const keyId = await newKey();
    expect((await keyOp("block", { keyId }, teamAdmin)).status).toBe(200);
    counter += 1;
    const orgless = await fx.insertTeam(h.db, { name: `No org ${counter}`, organizationId: null });
    expect(
      (
        await h.mutation(
          "teams.block",
          { teamId: orgless },
          {
            credentials: systemAdmin,
          },
        )
      ).status,
    ).toBe(200);
    // As such rows were written before authors and levels existed.
    await h.db.prisma.apiKeyBlock.update({
      where: { apiKeyId_reason: { apiKeyId: keyId, reason: "manual" } },
      data: { level: null, placedByUserId: null },
    });
    await h.db.prisma.teamBlock.update({
      where: { teamId_reason: { teamId: orgless, reason: "manual" } },
      data: { level: null, placedByUserId: null },
    });

    await runLevelBackfill();
    expect(
      await h.db.prisma.teamBlock.findUniqueOrThrow({
        where: { teamId_reason: { teamId: orgless, reason: "manual" } },
      }),
    ).toMatchObject({ level: "organization" });
    const seen = await keyAs(keyId, teamAdmin);
    expect(seen.manualBlock).toMatchObject({ level: "organization" });
    expect(seen.canUnblock).toBe(false);
    const refused = await keyOp("unblock", { keyId }, teamAdmin);
    expect(refused.status).toBe(403);
    expect(await h.db.prisma.apiKeyBlock.count({ where: { apiKeyId: keyId } })).toBe(1);
    expect((await keyAs(keyId, orgAdmin)).canUnblock).toBe(true);
    expect((await keyOp("unblock", { keyId }, orgAdmin)).status).toBe(200);
  });
});

describe("team blocks", () => {
  const teamOp = (op: "block" | "unblock", input: object, creds: Credentials) =>
    h.mutation<Out<"teams.block">>(`teams.${op}`, input, { credentials: creds });

  it("an organization admin cannot lift a block a system admin placed", async () => {
    const placed = await teamOp("block", { teamId, reason: "unpaid invoice" }, systemAdmin);
    expect(placed.status).toBe(200);
    expect(placed.data?.blockReasons).toEqual([
      expect.objectContaining({
        reason: "manual",
        note: "unpaid invoice",
        level: "system",
        placedBy: "Sam System-Admin",
      }),
    ]);

    for (const creds of [orgAdmin, orgToken]) {
      const team = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, creds);
      expect(team.blockReasons[0]).toMatchObject({ level: "system", placedBy: "Sam System-Admin" });
      expect(team.canUnblock).toBe(false);
      const refused = await teamOp("unblock", { teamId }, creds);
      expect(refused.status).toBe(403);
      expect(refused.error?.message).toMatch(/system admin/);
    }
    expect(await h.db.prisma.teamBlock.count({ where: { teamId } })).toBe(1);
    // A team admin does not manage the team's blocks at all, and is told nothing to offer.
    const seen = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, teamAdmin);
    expect(seen.canUnblock).toBe(false);

    const team = await h.queryOk<Out<"teams.get">>("teams.get", { teamId }, systemAdmin);
    expect(team.canUnblock).toBe(true);
    expect((await teamOp("unblock", { teamId }, systemAdmin)).data?.blocked).toBe(false);
  });

  it("an organization admin lifts their own team block", async () => {
    const placed = await teamOp("block", { teamId }, orgAdmin);
    expect(placed.data?.canUnblock).toBe(true);
    expect(placed.data?.blockReasons[0]).toMatchObject({
      level: "organization",
      placedBy: "Olga Org-Admin",
    });
    expect((await teamOp("unblock", { teamId }, orgAdmin)).data?.blocked).toBe(false);
  });
});
