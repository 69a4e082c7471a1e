/**
 * The HTTP security suites' world: one harness that allows one browser origin, a system
 * admin and a victim with a known password, and a region whose master key must never leak.
 * Importing it registers the hooks that start and stop that world for the importing file.
 */
import { afterAll, beforeAll } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { insertUser } from "../support/fixtures.ts";

export const password = "security suite password";
export const FOREIGN_ORIGIN = "https://evil.example.net";
export const ALLOWED_ORIGIN = "https://console.example.com";
export const MASTER_KEY = "sk-security-suite-master-key-7f3a9c";

export let h: Harness;
export let passwordHash: string;
export let adminId: string;
export let victimId: string;

beforeAll(async () => {
  h = await startHarness({
    env: {
      GATEHOUSE_ALLOWED_ORIGINS: ALLOWED_ORIGIN,
      // Per-address limits have their own harness below; here they must not interfere
      // with the per-account tests, which all come from 127.0.0.1.
      GATEHOUSE_LOGIN_MAX_PER_ADDRESS: "1000",
    },
  });
  passwordHash = await hashPassword(password);
  adminId = await insertUser(h.db, {
    email: "admin@security.example.com",
    isSystemAdmin: true,
    passwordHash,
  });
  victimId = await insertUser(h.db, {
    email: "victim@security.example.com",
    name: "Victim",
    passwordHash,
  });
  await h.db.prisma.region.create({
    data: {
      name: "security region",
      litellmBaseUrl: "http://127.0.0.1:1",
      litellmMasterKey: MASTER_KEY,
    },
  });
});
afterAll(() => h?.close());

export const WINDOW_MS = 15 * 60_000;

export function login(email: string, pw: string, headers?: Record<string, string>) {
  return h.mutation("auth.login", { email, password: pw }, headers ? { headers } : {});
}
