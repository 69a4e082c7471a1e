/**
 * The leaving suites' world: one harness with two LiteLLM regions (current open-source
 * LiteLLM, which deletes a leaving member's keys, and an older release, which keeps them), an
 * organization and its admin, and the helpers that make people, teams and keys on both
 * proxies and read back what leaving did. Importing it registers the hooks for that world.
 */
import crypto from "node:crypto";
import { litellmTeamId } from "@gatehouse/core";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startHarness, type SyncHarness } from "../support/harness.ts";
import { type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

export const SECRETS_KEY = crypto.randomBytes(32).toString("hex");

export let h: SyncHarness;
/** The second region's proxy: a LiteLLM release from before pull request 17057. */
export let older: ContractServer;
export let olderRegion: { id: string; name: string };
export let org: string;
export let orgAdmin: { id: string; creds: Credentials };

export interface Person {
  id: string;
  creds: Credentials;
}

let seq = 0;
export async function person(
  prefix: string,
  orgRole: "ORG_ADMIN" | "MEMBER" = "MEMBER",
): Promise<Person> {
  seq += 1;
  const p = await fx.insertUserWithSession(h, { email: `${prefix}-${seq}@leaving.test` });
  await fx.addOrgMember(h.db, org, p.id, orgRole);
  return p;
}

/** A team of the organization with an ADMIN and a KEY_CREATOR (the one who will leave). */
export async function teamWithLeaver(): Promise<{ team: string; admin: Person; leaver: Person }> {
  seq += 1;
  const team = await fx.insertTeam(h.db, { name: `Leaving team ${seq}`, organizationId: org });
  const admin = await person("team-admin");
  const leaver = await person("leaver");
  await fx.addTeamMember(h.db, team, admin.id, "ADMIN");
  await fx.addTeamMember(h.db, team, leaver.id, "KEY_CREATOR");
  return { team, admin, leaver };
}

export interface MadeKey {
  id: string;
  secret: string;
  proxy: ContractServer;
  region: { id: string; name: string };
}

export async function createKey(
  team: string,
  who: Person,
  name: string,
  where: "current" | "older",
): Promise<MadeKey> {
  const region = where === "current" ? h.region : olderRegion;
  const made = await h.mutationOk<Out<"keys.create">>(
    "keys.create",
    { teamId: team, name, regionId: region.id },
    who.creds,
  );
  return {
    id: made.key.id,
    secret: made.secret,
    proxy: where === "current" ? h.litellm : older,
    region,
  };
}

/** Both regions' keys of one person in one team. */
export async function keysOnBothProxies(
  team: string,
  who: Person,
  prefix: string,
): Promise<MadeKey[]> {
  return [
    await createKey(team, who, `${prefix}-current`, "current"),
    await createKey(team, who, `${prefix}-older`, "older"),
  ];
}

/** Whether the key would serve calls on its proxy: present and not blocked. */
export function works(key: MadeKey): boolean {
  const stored = key.proxy.state.getKey(key.secret);
  return stored !== undefined && stored.blocked !== true;
}

export function onProxyTeam(key: MadeKey, team: string, userId: string): boolean {
  return key.proxy.state.isMember(litellmTeamId(key.region.name, team), userId);
}

export async function reasons(keyId: string): Promise<string[]> {
  const rows = await h.db.prisma.apiKeyBlock.findMany({
    where: { apiKeyId: keyId },
    select: { reason: true },
    orderBy: { reason: "asc" },
  });
  return rows.map((r) => r.reason);
}

export async function auditDetails(action: string, targetId: string): Promise<unknown> {
  const event = await h.db.prisma.auditEvent.findFirst({
    where: { action, targetId },
    orderBy: { createdAt: "desc" },
  });
  return event?.details;
}

export const removeFromTeam = (team: string, userId: string, as: Credentials) =>
  h.mutation("teams.removeMember", { teamId: team, userId }, { credentials: as });

export const addBack = (
  team: string,
  userId: string,
  role: "KEY_CREATOR" | "MEMBER",
  as: Credentials,
) => h.mutationOk("teams.addMember", { teamId: team, userId, role }, as);

export async function systemAdmin(prefix: string): Promise<{ id: string; creds: Credentials }> {
  seq += 1;
  return fx.insertUserWithSession(h, {
    email: `${prefix}-${seq}@leaving.test`,
    isSystemAdmin: true,
  });
}

beforeAll(async () => {
  h = await startHarness({
    litellm: { regionName: "eu west", profile: "oss" },
    env: { GATEHOUSE_SECRETS_KEY: SECRETS_KEY },
  });
  ({ litellm: older, region: olderRegion } = await h.addRegion("us older", "legacy"));
  org = await fx.insertOrganization(h.db, "Leaving Org");
  orgAdmin = await person("org-admin", "ORG_ADMIN");
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.drain();
});
