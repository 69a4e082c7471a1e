import { describe, expect, it } from "vitest";
import { GENERIC_SSO_ERROR, ssoErrorMessage } from "./sso-errors.ts";

describe("ssoErrorMessage", () => {
  it.each([
    ["no_provider", /not set up for this email domain/],
    ["email_unverified", /did not confirm this email address/],
    ["not_allowed", /invitation/],
    ["invalid_request", /Try again/],
    ["too_many_requests", /Wait a few minutes/],
  ])("says %s as a sentence", (code, message) => {
    expect(ssoErrorMessage(code)).toMatch(message);
    expect(ssoErrorMessage(code)).not.toContain(code);
  });

  it("falls back to a generic sentence for a code it does not know (never the raw code)", () => {
    expect(ssoErrorMessage("something_new")).toBe(GENERIC_SSO_ERROR);
    expect(ssoErrorMessage("__proto__")).toBe(GENERIC_SSO_ERROR);
    expect(ssoErrorMessage("toString")).toBe(GENERIC_SSO_ERROR);
  });
});
