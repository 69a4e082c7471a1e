/**
 * The demo's single sign-on, as a newcomer meets it after `npm start`: the local IdP with the
 * demo people is Acme Corp's identity provider (startDemoSso on the demo seed), and each
 * person lands with what the credentials file says; a second start keeps one provider.
 */
import crypto from "node:crypto";
import { DEMO_PEOPLE } from "@gatehouse/identity-provider";
import { seedDemo } from "@gatehouse/db/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoLandsAs, demoSsoCredentialLines, startDemoSso } from "../../src/demo-sso.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import type { Out } from "../support/http.ts";
import { ssoSignIn } from "../support/sso.ts";

let h: Harness;
const stops: Array<() => Promise<void>> = [];
const person = (sub: string) => DEMO_PEOPLE.find((p) => p.sub === sub)!;

async function start() {
  // Port 0: the demo's fixed port (4011) may be taken by a developer's `npm start`.
  const started = await startDemoSso({
    db: h.db,
    config: { ...h.config, demo: { ...h.config.demo, idpPort: 0 } },
  });
  if (!started.started) throw new Error(`demo SSO did not start: ${started.reason}`);
  stops.push(() => started.idp.close());
  return started;
}

beforeAll(async () => {
  h = await startHarness({
    env: { GATEHOUSE_SECRETS_KEY: crypto.randomBytes(32).toString("hex") },
  });
  const seeded = await seedDemo(h.db, {
    hashPassword: (plain) => Promise.resolve(`not-argon2:${plain.length}`),
    region: { name: "Local Demo", baseUrl: "http://127.0.0.1:9", masterKey: "sk-demo-test-master" },
  });
  if (!seeded.seeded) throw new Error("the demo seed did not run");
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await h?.close();
});

type Me = Extract<Out<"auth.me">, { kind: "user" }>;
type TeamPage = Out<"teams.list">;

describe("demo single sign-on", () => {
  it("signs the demo people in with the roles the credentials file promises", async () => {
    const { idp } = await start();
    const hedy = person("idp-hedy");
    const signedIn = await ssoSignIn(h, { idp }, hedy.email, hedy.password);
    expect(signedIn.location).toBe("/");
    const me = await h.queryOk<Me>("auth.me", undefined, signedIn.creds);
    expect(me.user.email).toBe(hedy.email);
    expect(me.organizations).toEqual([
      expect.objectContaining({ name: "Acme Corp", role: "ORG_ADMIN" }),
    ]);
    const teams = await h.queryOk<TeamPage>("teams.list", { userId: me.user.id }, signedIn.creds);
    expect(teams.items.map((t) => t.name).sort()).toEqual(["Acme Platform", "Acme Research"]);
    expect(demoLandsAs(hedy)).toBe(
      "org admin of Acme Corp, Acme Platform admin, Acme Research key creator",
    );

    const edsger = person("idp-edsger");
    const reader = await ssoSignIn(h, { idp }, edsger.email, edsger.password);
    const readerMe = await h.queryOk<Me>("auth.me", undefined, reader.creds);
    expect(readerMe.organizations).toEqual([
      expect.objectContaining({ name: "Acme Corp", role: "MEMBER" }),
    ]);
    expect(demoLandsAs(edsger)).toBe("member of Acme Corp, Acme Research read-only member");

    // The unverified one is refused, as the file says.
    const mallory = person("idp-mallory");
    const refused = await ssoSignIn(h, { idp }, mallory.email, mallory.password);
    expect(refused.location).toBe("/login?sso_error=email_unverified");
    expect(demoLandsAs(mallory)).toMatch(/^refused/);
    expect(demoSsoCredentialLines()).toHaveLength(DEMO_PEOPLE.length);
  });

  it("a second start points the same provider at the new IdP and its new secret", async () => {
    const first = await h.db.prisma.identityProvider.findMany({ select: { id: true } });
    const { idp, providerId } = await start();
    expect(await h.db.prisma.identityProvider.findMany({ select: { id: true } })).toEqual(first);
    expect(first.map((p) => p.id)).toEqual([providerId]);
    const katherine = person("idp-katherine");
    const signedIn = await ssoSignIn(h, { idp }, katherine.email, katherine.password);
    expect(signedIn.location).toBe("/");
  });
});
