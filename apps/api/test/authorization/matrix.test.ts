/**
 * Runs every (procedure x caller) cell of the authorization matrix against the real HTTP
 * server, and keeps the table honest: every procedure of the app router must have exactly
 * one row, and every row must name a procedure that exists, with its real type.
 *
 * One harness and one set of fixtures for the whole file (fast); each cell gets a fresh
 * session, so a logout or revoke in one cell cannot change the outcome of another.
 */
import crypto from "node:crypto";
import { testBackend } from "@gatehouse/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../src/routers/index.ts";
import {
  callers,
  matrix,
  setupMatrixFixtures,
  targetOf,
  type Caller,
  type MatrixFixtures,
  type MatrixRow,
} from "./matrix.table.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { call, type Credentials } from "../support/http.ts";
import { insertSessions } from "../support/fixtures.ts";
import { findSecretLeaks, listProcedures } from "../support/router-walk.ts";

let h: Harness;
let fixtures: MatrixFixtures;
/** One unused session per (row, caller) that needs one, keyed `title|caller`. */
const sessions = new Map<string, string>();

/** A row's name: its procedure, and its variant when a procedure has several rows. */
const titleOf = (row: MatrixRow): string =>
  row.variant ? `${row.path} (${row.variant})` : row.path;

beforeAll(async () => {
  // An operator key, so identity providers can keep (sealed) client secrets.
  h = await startHarness({ config: { secretsKey: crypto.randomBytes(32) } });
  fixtures = await setupMatrixFixtures(h);
  // Inserted up front in one statement (fast), but still one per cell: a logout or revoke
  // in one cell cannot change another's outcome.
  const wanted = matrix.flatMap((row) =>
    callers.flatMap((caller) => {
      const request = sessionRequest(caller);
      return request ? [{ key: `${titleOf(row)}|${caller}`, request }] : [];
    }),
  );
  const tokens = await insertSessions(
    h,
    wanted.map((w) => w.request),
  );
  wanted.forEach((w, i) => sessions.set(w.key, tokens[i]!));
});
afterAll(async () => {
  await fixtures?.close();
  await h?.close();
});

/** The session a caller needs, if it is a person; null for anonymous and token callers. */
function sessionRequest(
  caller: Caller,
): { userId: string; idleExpiresAt?: Date; revokedAt?: Date } | null {
  const { userIds } = fixtures;
  const now = h.clock.now();
  switch (caller) {
    // Both dead sessions belong to a system admin: the refusal must come from the state of
    // the session, not from a lack of role.
    case "revokedSession":
      return { userId: userIds.systemAdmin, revokedAt: now };
    case "expiredSession":
      return { userId: userIds.systemAdmin, idleExpiresAt: new Date(now.getTime() - 1_000) };
    case "member":
      return { userId: userIds.member };
    case "teamAdmin":
      return { userId: userIds.teamAdmin };
    case "orgAdminA":
    case "orgAdminA_onB":
      return { userId: userIds.orgAdminA };
    case "systemAdmin":
      return { userId: userIds.systemAdmin };
    case "anonymous":
    case "adminToken":
    case "orgTokenA":
    case "revokedToken":
    case "adminTokenDemotedCreator":
    case "adminTokenDisabledCreator":
    case "orgTokenDemotedCreator":
      return null;
  }
}

function credentialsFor(title: string, caller: Caller): Credentials {
  const cookie = sessions.get(`${title}|${caller}`);
  if (cookie) return { cookie };
  switch (caller) {
    case "adminToken":
      return { bearer: fixtures.tokens.admin };
    case "orgTokenA":
      return { bearer: fixtures.tokens.orgA };
    case "revokedToken":
      return { bearer: fixtures.tokens.revoked };
    case "adminTokenDemotedCreator":
      return { bearer: fixtures.tokens.adminDemotedCreator };
    case "adminTokenDisabledCreator":
      return { bearer: fixtures.tokens.adminDisabledCreator };
    case "orgTokenDemotedCreator":
      return { bearer: fixtures.tokens.orgADemotedCreator };
    default:
      return null;
  }
}

const procedures = new Map(listProcedures(appRouter).map((p) => [p.path, p.type]));

describe("the matrix covers the router", () => {
  it("has a row for every procedure", () => {
    const covered = new Set(matrix.map((row) => row.path));
    const missing = [...procedures.keys()].filter((path) => !covered.has(path));
    expect(
      missing,
      `procedures without a row in authorization-matrix.table.ts: ${missing.join(", ")}`,
    ).toEqual([]);
  });

  it("has no row for a procedure that does not exist, and no row twice", () => {
    const unknown = matrix.filter((row) => !procedures.has(row.path)).map((row) => row.path);
    expect(unknown, `rows naming procedures that do not exist: ${unknown.join(", ")}`).toEqual([]);
    const titles = matrix.map(titleOf);
    const duplicated = titles.filter((title, i) => titles.indexOf(title) !== i);
    expect(duplicated, `rows given twice: ${duplicated.join(", ")}`).toEqual([]);
  });

  it("gives every row the procedure's real type", () => {
    const wrong = matrix
      .filter((row) => procedures.has(row.path) && procedures.get(row.path) !== row.type)
      .map((row) => `${row.path} is a ${procedures.get(row.path)}, not a ${row.type}`);
    expect(wrong).toEqual([]);
  });
});

// On the PostgreSQL server the cells of a row run concurrently (vitest's maxConcurrency):
// they share no state that decides an outcome (fresh sessions, fresh objects, idempotent
// changes). Not on PGlite: its socket server interleaves the protocol messages of
// concurrent connections (see "concurrent requests" in security.test.ts), so there the
// cells run one after another.
const describeRow = testBackend() === "postgres" ? describe.concurrent : describe;

describeRow.each(matrix.map((row) => ({ ...row, title: titleOf(row) })))("$title", (row) => {
  it.for(callers.map((caller) => [caller, row.expect[caller]] as const))(
    "as %s -> %s",
    async ([caller, expected], { expect }) => {
      const target = targetOf(caller);
      const unique = `${row.title}-${caller}`.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase();
      const input: unknown = await row.input(fixtures, target, unique);
      const res = await call(h.url, row.type, row.path, input, {
        credentials: credentialsFor(row.title, caller),
      });

      const detail = `${row.title} as ${caller}: ${res.status} ${res.error?.message ?? ""}`;
      if (expected === "ok") {
        expect(res.status, detail).toBe(200);
        expect(res.error, detail).toBeNull();
      } else {
        expect(res.status, detail).toBe(expected);
        expect(res.error?.data.httpStatus, detail).toBe(expected);
      }
      // Every response of the matrix, allowed or refused, is scanned for secrets.
      expect(
        findSecretLeaks({ data: res.data, error: res.error }, fixtures.secrets),
        detail,
      ).toEqual([]);
    },
  );
});
