import { describe, expect, it } from "vitest";
import {
  defaultSessionPolicy as policy,
  evaluateSession,
  newSessionTimes,
  type SessionFacts,
} from "./session-policy.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function started(isSystemAdmin: boolean): SessionFacts {
  const times = newSessionTimes(isSystemAdmin, t0, policy);
  return { ...times, lastSeenAt: t0, revokedAt: null, userActive: true, isSystemAdmin };
}

describe("newSessionTimes", () => {
  it.each([
    [false, 30 * MIN],
    [true, 8 * HOUR],
  ])("admin=%s idles out after %d ms", (isAdmin, idle) => {
    const times = newSessionTimes(isAdmin, t0, policy);
    expect(times.idleExpiresAt).toEqual(at(idle));
    expect(times.absoluteExpiresAt).toEqual(at(24 * HOUR));
  });

  it("never puts the idle expiry past the absolute cap", () => {
    const times = newSessionTimes(true, t0, { ...policy, absoluteMs: HOUR });
    expect(times.idleExpiresAt).toEqual(at(HOUR));
  });
});

describe("evaluateSession", () => {
  it.each<[string, boolean, number, string]>([
    ["user, 29 idle minutes", false, 29 * MIN, "valid"],
    ["user, 30 idle minutes", false, 30 * MIN, "idle"],
    ["admin, 30 idle minutes", true, 30 * MIN, "valid"],
    ["admin, 7h59 idle", true, 8 * HOUR - MIN, "valid"],
    ["admin, 8 idle hours", true, 8 * HOUR, "idle"],
  ])("%s -> %s", (_name, isAdmin, elapsed, expected) => {
    const verdict = evaluateSession(started(isAdmin), at(elapsed), policy);
    expect(verdict.valid ? "valid" : verdict.reason).toBe(expected);
  });

  it("slides the idle expiry forward when active", () => {
    const verdict = evaluateSession(started(false), at(20 * MIN), policy);
    expect(verdict).toEqual({ valid: true, expiresAt: at(50 * MIN), touch: at(50 * MIN) });
  });

  it("does not write a touch more than once per interval", () => {
    const verdict = evaluateSession(started(false), at(10_000), policy);
    expect(verdict).toEqual({ valid: true, expiresAt: at(30 * MIN), touch: null });
  });

  it("ends an always-active session at the absolute cap", () => {
    let session = started(true);
    for (let elapsed = HOUR; elapsed < 24 * HOUR; elapsed += HOUR) {
      const verdict = evaluateSession(session, at(elapsed), policy);
      expect(verdict.valid).toBe(true);
      if (verdict.valid && verdict.touch) {
        session = { ...session, idleExpiresAt: verdict.touch, lastSeenAt: at(elapsed) };
      }
    }
    const end = evaluateSession(session, at(24 * HOUR), policy);
    expect(end).toEqual({ valid: false, reason: "absolute" });
  });

  it.each<[string, Partial<SessionFacts>, string]>([
    ["revoked", { revokedAt: t0 }, "revoked"],
    ["user disabled", { userActive: false }, "user-disabled"],
  ])("%s -> %s", (_name, change, reason) => {
    expect(evaluateSession({ ...started(true), ...change }, at(MIN), policy)).toEqual({
      valid: false,
      reason,
    });
  });

  it("ends a demoted admin's session after the user idle timeout, with no request in between", () => {
    const demoted = { ...started(true), isSystemAdmin: false };
    expect(evaluateSession(demoted, at(29 * MIN), policy).valid).toBe(true);
    expect(evaluateSession(demoted, at(31 * MIN), policy)).toEqual({
      valid: false,
      reason: "idle",
    });
  });

  it("shortens the window at once when an admin is demoted", () => {
    const demoted = { ...started(true), isSystemAdmin: false };
    const verdict = evaluateSession(demoted, at(10_000), policy);
    expect(verdict).toEqual({
      valid: true,
      expiresAt: at(10_000 + 30 * MIN),
      touch: at(10_000 + 30 * MIN),
    });
  });
});
