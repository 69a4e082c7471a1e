import { describe, expect, it } from "vitest";
import {
  invitationMail,
  passwordChangedMail,
  passwordResetMail,
  ssoSignInMail,
} from "./account-mails.ts";

const expiresAt = new Date("2026-01-01T00:00:00Z");

describe("account mails", () => {
  it("escapes every name in the invitation's HTML and keeps the link in both bodies", () => {
    const url = "https://gatehouse.example/invitations/accept?token=ghi_abc";
    const mail = invitationMail({
      acceptUrl: url,
      inviterName: '<script>alert("x")</script>',
      organizationName: "A & B",
      orgRole: "MEMBER",
      teamName: "<b>team</b>",
      teamRole: "ADMIN",
      expiresAt,
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>team</b>");
    expect(mail.html).toContain("A &amp; B");
    expect(mail.text).toContain(url);
    expect(mail.html).toContain(url);
    expect(mail.subject).toContain("A & B");
  });
  it.each([
    {
      name: "reset",
      mail: passwordResetMail({ resetUrl: "http://x/reset-password?token=t", expiresAt }),
      link: true,
    },
    { name: "changed", mail: passwordChangedMail({ at: expiresAt, how: "change" }), link: false },
    { name: "sso", mail: ssoSignInMail({ loginUrl: "http://x/login" }), link: false },
  ])("$name has text and HTML", ({ mail, link }) => {
    expect(mail.text.length).toBeGreaterThan(0);
    expect(mail.html).toContain("<html");
    expect(mail.text.includes("token=")).toBe(link);
  });
});
