/**
 * The identity-provider settings over HTTP: a domain belongs to one provider, an
 * organization's provider maps only into its organization and a rule's team must be of the
 * rule's organization (field errors), a client secret needs an operator key to be kept, and
 * an update changes what the list shows without ever showing the secret.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { startHarness, type Harness } from "../support/harness.ts";
import type { Credentials, Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

let h: Harness;
/** Every line the API logged (debug and up). */
const logged: string[] = [];
let org: string;
let otherOrg: string;
let otherTeam: string;
let admin: { id: string; creds: Credentials };
let root: { id: string; creds: Credentials };

const settings = (domains: string[], organizationId?: string) => ({
  ...(organizationId ? { organizationId } : {}),
  issuer: "https://login.example.com/realms/acme/",
  clientId: "gatehouse",
  clientSecret: "a-client-secret-never-shown",
  domains,
  jitProvisioning: false,
});

beforeAll(async () => {
  h = await startHarness({
    config: { secretsKey: crypto.randomBytes(32) },
    logger: createLogger("debug", { write: (line: string) => void logged.push(line) }),
  });
  org = await fx.insertOrganization(h.db, "Settings Org");
  otherOrg = await fx.insertOrganization(h.db, "Other Org");
  otherTeam = await fx.insertTeam(h.db, { name: "Other team", organizationId: otherOrg });
  admin = await fx.insertUserWithSession(h, { email: "admin@settings.test" });
  await fx.addOrgMember(h.db, org, admin.id, "ORG_ADMIN");
  root = await fx.insertUserWithSession(h, { email: "root@settings.test", isSystemAdmin: true });
});
afterAll(() => h?.close());

describe("identityProviders", () => {
  it("creates, lists, updates and deletes an organization's provider; the secret never comes back", async () => {
    const { id } = await h.mutationOk<Out<"identityProviders.create">>(
      "identityProviders.create",
      settings(["Settings.TEST"], org),
      admin.creds,
    );
    const list = () =>
      h.queryOk<Out<"identityProviders.list">>("identityProviders.list", {}, admin.creds);
    expect((await list()).items).toEqual([
      expect.objectContaining({
        id,
        organizationId: org,
        organizationName: "Settings Org",
        // Exactly as given (discovery compares it with the provider's own).
        issuer: "https://login.example.com/realms/acme/",
        domains: ["settings.test"],
        groupsClaim: "groups",
        groupRules: [],
      }),
    ]);
    await h.mutationOk(
      "identityProviders.update",
      { providerId: id, clientSecret: "a-new-secret-never-shown", groupsClaim: "roles" },
      admin.creds,
    );
    const after = await list();
    expect(after.items[0]?.groupsClaim).toBe("roles");
    expect(JSON.stringify(after)).not.toMatch(/never-shown/);
    const audit = await h.db.prisma.auditEvent.findMany({ where: { targetId: id } });
    expect(audit.map((e) => e.action).sort()).toEqual([
      "identityProvider.create",
      "identityProvider.update",
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/never-shown/);
    // A refused call with the secret in its input is logged without it.
    const refused = await h.mutation(
      "identityProviders.update",
      { providerId: id, clientSecret: "a-refused-secret-never-shown", domains: ["not a domain"] },
      { credentials: admin.creds },
    );
    expect(refused.status).toBe(400);
    expect(logged.join("\n")).not.toMatch(/never-shown/);
    await h.mutationOk("identityProviders.delete", { providerId: id }, admin.creds);
    expect((await list()).items).toEqual([]);
  });

  it("refuses a domain another provider serves, as a field error", async () => {
    await h.mutationOk("identityProviders.create", settings(["taken.test"]), root.creds);
    const again = await h.mutation(
      "identityProviders.create",
      settings(["free.test", "TAKEN.test"], org),
      {
        credentials: admin.creds,
      },
    );
    expect(again.status).toBe(409);
    expect(again.error?.data).toMatchObject({ details: { field: "domains" } });
    expect(again.error?.message).toContain("taken.test");
  });

  it("maps an organization's provider only into that organization, and a team only with its organization", async () => {
    const { id } = await h.mutationOk<Out<"identityProviders.create">>(
      "identityProviders.create",
      settings(["rules.test"], org),
      admin.creds,
    );
    const elsewhere = await h.mutation(
      "identityProviders.setGroupRules",
      { providerId: id, rules: [{ group: "g", organizationId: otherOrg }] },
      { credentials: admin.creds },
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.error?.data).toMatchObject({
      fieldErrors: { "rules.0.organizationId": [expect.any(String)] },
    });
    const { id: global } = await h.mutationOk<Out<"identityProviders.create">>(
      "identityProviders.create",
      settings(["global-rules.test"]),
      root.creds,
    );
    const wrongTeam = await h.mutation(
      "identityProviders.setGroupRules",
      { providerId: global, rules: [{ group: "g", organizationId: org, teamId: otherTeam }] },
      { credentials: root.creds },
    );
    expect(wrongTeam.status).toBe(400);
    expect(wrongTeam.error?.data).toMatchObject({
      fieldErrors: { "rules.0.teamId": [expect.any(String)] },
    });
    const ok = await h.mutationOk<Out<"identityProviders.setGroupRules">>(
      "identityProviders.setGroupRules",
      {
        providerId: global,
        rules: [{ group: "g", organizationId: otherOrg, teamId: otherTeam, teamRole: "ADMIN" }],
      },
      root.creds,
    );
    expect(ok).toEqual({ kept: 0, added: 1, removed: 0 });
  });

  it("refuses to keep a client secret without an operator key", async () => {
    const bare = await startHarness({ db: undefined });
    try {
      const who = await fx.insertUserWithSession(bare, {
        email: "root@bare.test",
        isSystemAdmin: true,
      });
      const refused = await bare.mutation("identityProviders.create", settings(["bare.test"]), {
        credentials: who.creds,
      });
      expect(refused.status).toBe(412);
      expect(refused.error?.data).toMatchObject({ details: { field: "clientSecret" } });
    } finally {
      await bare.close();
    }
  });
});
