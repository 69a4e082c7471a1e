/**
 * The users suites' world: one harness with a system admin, and the helpers that make users,
 * call users.create / update / list as someone, and read back the stored row and the audit
 * events of a response. Importing it registers the hooks that start and stop that world.
 */
import { afterAll, beforeAll } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";
import { type CallResult, type Credentials, type Out } from "../support/http.ts";
import * as fx from "../support/fixtures.ts";

export type User = Out<"users.create">;
export type UserPage = Out<"users.list">;

export let h: Harness;
export let adminId: string;
let counter = 0;

beforeAll(async () => {
  h = await startHarness();
  adminId = await fx.insertUser(h.db, { email: "root@users.example.com", isSystemAdmin: true });
});
afterAll(() => h?.close());

export async function as(userId: string): Promise<Credentials> {
  return { cookie: await fx.insertSession(h, userId) };
}

export async function newUser(
  options: { isSystemAdmin?: boolean; name?: string; passwordHash?: string } = {},
): Promise<string> {
  counter += 1;
  return fx.insertUser(h.db, { email: `person${counter}@users.example.com`, ...options });
}

export function create(input: unknown, credentials: Credentials) {
  return h.mutation<User>("users.create", input, { credentials });
}
export function update(input: unknown, credentials: Credentials) {
  return h.mutation<User>("users.update", input, { credentials });
}
export function list(input: unknown, credentials: Credentials) {
  return h.query<UserPage>("users.list", input, { credentials });
}

export async function stored(userId: string) {
  return h.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
}

/** The audit events written by exactly this response (matched on its request id). */
export async function auditOf(res: CallResult) {
  return h.db.prisma.auditEvent.findMany({
    where: { requestId: res.headers.get("x-request-id") ?? "-" },
  });
}
