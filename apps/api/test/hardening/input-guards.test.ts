/**
 * Regression tests for what the bad-input property test (fuzz.test.ts) found, one
 * deterministic case each, on both backends:
 * - text zod accepts but the database cannot take (a NUL character: PostgreSQL refuses it;
 *   an unpaired surrogate: Prisma's engine refuses to encode it) was a 500 from deep in a
 *   query, in queries and mutations alike; now a field-level 400 for every procedure
 *   (src/trpc/init.ts rejectUnstorableText);
 * - a field named "__proto__" (or "constructor") in an error crashed the error formatter
 *   (`fields["__proto__"] ??= []` reads Object.prototype), turning a 400 into a 500; the
 *   fuzz reached it through the guard above (an unstorable value under an own
 *   "__proto__" key), zod's own issues never name such a field today
 *   (src/trpc/init.ts fieldErrorsOf);
 * - a BAD_REQUEST raised by a handler (an unreadable cursor) had no field-level message;
 *   now `fieldErrors` names the field from the domain error's details
 *   (src/trpc/init.ts domainFieldErrors).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, insertSession, insertUser, type Credentials, type Out } from "../harness.ts";
import { snapshotDatabase } from "./support/db-snapshot.ts";
import { startHardeningServer, type HardeningServer } from "./support/server.ts";

let h: HardeningServer;
let admin: Credentials;

beforeAll(async () => {
  h = await startHardeningServer();
  admin = {
    cookie: await insertSession(
      h,
      await insertUser(h.db, { email: "admin@guards.example.com", isSystemAdmin: true }),
    ),
  };
  await h.db.prisma.organization.create({ data: { name: "Guards Org" } });
});
afterAll(() => h?.close());

const unstorable = [
  ["a NUL character", "bad\u0000name"],
  ["an unpaired high surrogate", "bad\ud800name"],
  ["an unpaired low surrogate", "\udfffbad"],
] as const;

describe("text the database cannot store", () => {
  for (const [what, text] of unstorable) {
    it(`${what} is a field-level 400 in queries (raw SQL and Prisma alike)`, async () => {
      for (const [path, input] of [
        ["teams.list", { name: text }],
        ["orgs.list", { search: text }],
        ["users.list", { search: text }],
        ["audit.list", { action: text }],
      ] as const) {
        const res = await call(h.url, "query", path, input, { credentials: admin });
        expect(res.status, path).toBe(400);
        expect(res.error?.data.fieldErrors, path).toEqual({
          [Object.keys(input)[0]!]: [expect.stringMatching(/valid Unicode/)],
        });
        expect(res.error?.data.requestId, path).toBe(res.headers.get("x-request-id"));
      }
    });

    it(`${what} is a field-level 400 in mutations, public ones included, and changes nothing`, async () => {
      const before = await snapshotDatabase(h.db.pool);
      const login = await call(h.url, "mutation", "auth.login", {
        email: `x${text}@guards.example.com`,
        password: "whatever!!",
      });
      expect(login.status).toBe(400);
      expect(Object.keys(login.error?.data.fieldErrors ?? {})).toEqual(["email"]);
      const created = await call(
        h.url,
        "mutation",
        "orgs.create",
        { name: text },
        { credentials: admin },
      );
      expect(created.status).toBe(400);
      expect(Object.keys(created.error?.data.fieldErrors ?? {})).toEqual(["name"]);
      // Nested values and keys are checked too.
      const nested = await call(
        h.url,
        "mutation",
        "products.create",
        { name: "p", limits: { [text]: 1 } },
        { credentials: admin },
      );
      expect(nested.status).toBe(400);
      expect(await snapshotDatabase(h.db.pool)).toEqual(before);
    });
  }

  // Bidi overrides (U+202E) are refused in names since issue 10 item 11
  // (test/security-review/dates-and-names.test.ts); right-to-left letters are not.
  it("well-formed text outside the BMP, RTL letters and combining characters are accepted", async () => {
    const name = "👩‍👩‍👧‍👦 e\u0301 שלום";
    const res = await call<Out<"orgs.create">>(
      h.url,
      "mutation",
      "orgs.create",
      { name },
      { credentials: admin },
    );
    expect(res.status).toBe(200);
    expect(res.data.name).toBe(name);
  });
});

describe("error formatting", () => {
  it('an error on a field named "__proto__" is a 400 naming it, not a formatter crash', async () => {
    const input = JSON.parse(
      '{"email":"someone@guards.example.com","__proto__":"\\u0000"}',
    ) as unknown;
    const res = await call(h.url, "query", "teams.list", input, { credentials: admin });
    expect(res.status).toBe(400);
    // A computed key: a literal `__proto__:` would set the prototype, not a property.
    expect(res.error?.data.fieldErrors).toEqual({ ["__proto__"]: [expect.any(String)] });
  });

  it("a handler's BAD_REQUEST (an unreadable cursor) names its field", async () => {
    const res = await call(
      h.url,
      "query",
      "teams.list",
      { cursor: "definitely not a cursor" },
      { credentials: admin },
    );
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toEqual({ cursor: ["Invalid cursor"] });
  });
});
