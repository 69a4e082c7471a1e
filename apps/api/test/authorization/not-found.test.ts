/**
 * An object the caller may not see answers 404, exactly like an unknown id, so an answer
 * never confirms that an id exists. Only authorization answers are checked, so the calls
 * go through tRPC's server-side caller (support/caller.ts) rather than HTTP.
 */
import { testBackend } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.ts";
import { createCaller, outcomeOf, type Caller } from "../support/caller.ts";
import { addOrgMember, insertOrganization, insertTeam, people } from "../support/fixtures.ts";

let h: Harness;
let person: ReturnType<typeof people>;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

beforeAll(async () => {
  h = await startHarness();
  person = people(h, "not-found.example.com");
});
afterAll(() => h?.close());

describe("an object the caller may not see is 404, exactly like an unknown id", () => {
  it("teams.get, teams.update, teams.addMember, keys.list, keys.create, keys.delete", async () => {
    const orgA = await insertOrganization(h.db, unique("Oracle A"));
    const orgB = await insertOrganization(h.db, unique("Oracle B"));
    const teamB = await insertTeam(h.db, { name: unique("Oracle team B"), organizationId: orgB });
    const adminA = await person("oracle-admin-a");
    await addOrgMember(h.db, orgA, adminA.id, "ORG_ADMIN");
    const region = await h.db.prisma.region.create({
      data: {
        name: unique("oracle region"),
        litellmBaseUrl: "http://127.0.0.1:1",
        litellmMasterKey: "sk-x",
      },
      select: { id: true },
    });
    const keyB = await h.db.prisma.apiKey.create({
      data: {
        name: "b key",
        teamId: teamB,
        regionId: region.id,
        litellmKeyId: unique("lk"),
        keyPrefix: "sk-gh-xx…",
      },
      select: { id: true },
    });
    const someone = (await person("someone")).id;
    const cases: [string, (c: Caller, teamId: string, keyId: string) => Promise<unknown>][] = [
      ["teams.get", (c, teamId) => c.teams.get({ teamId })],
      ["teams.update", (c, teamId) => c.teams.update({ teamId, name: "Renamed" })],
      [
        "teams.addMember",
        (c, teamId) => c.teams.addMember({ teamId, userId: someone, role: "MEMBER" }),
      ],
      ["keys.list", (c, teamId) => c.keys.list({ teamId })],
      ["keys.create", (c, teamId) => c.keys.create({ teamId, name: "probe", regionId: region.id })],
      ["keys.delete", (c, _teamId, keyId) => c.keys.delete({ keyId })],
    ];
    const caller = await createCaller(h, adminA.creds);
    for (const [path, run] of cases) {
      const hidden = await outcomeOf(run(caller, teamB, keyB.id));
      const unknown = await outcomeOf(run(caller, crypto.randomUUID(), crypto.randomUUID()));
      expect(unknown, path).toMatchObject({ code: "NOT_FOUND" });
      expect(hidden, path).toEqual(unknown);
    }
    expect(await h.db.prisma.apiKey.count({ where: { id: keyB.id } })).toBe(1);
  });
});

// Keeps the backend visible in the report (the vitest config runs this file on each).
it("runs on a known backend", () => {
  expect(["pglite", "postgres"]).toContain(testBackend());
});
