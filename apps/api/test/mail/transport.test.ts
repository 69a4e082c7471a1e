/** Where `npm start` says mail goes: the SMTP server's host and port (never its password), or the outbox page. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { mailDestinationLine, smtpServerOf } from "../../src/mail/transport.ts";

describe("mailDestinationLine", () => {
  it.each([
    [
      { GATEHOUSE_SMTP_URL: "smtp://user:s3cret@mail.example.com:2525" },
      4190,
      "Mail: SMTP mail.example.com:2525",
    ],
    [
      { GATEHOUSE_SMTP_URL: "smtps://user:s3cret@mail.example.com" },
      4190,
      "Mail: SMTP mail.example.com:465",
    ],
    [{ GATEHOUSE_SMTP_URL: "smtp://mail.example.com" }, 4190, "Mail: SMTP mail.example.com:587"],
    [
      { GATEHOUSE_PUBLIC_URL: "https://gatehouse.example.com/" },
      4190,
      "Mail: local outbox at https://gatehouse.example.com/outbox",
    ],
    [{ HOST: "0.0.0.0", PORT: "0" }, 4321, "Mail: local outbox at http://localhost:4321/outbox"],
  ])("%j -> %s", (env, port, line) => {
    const config = loadConfig(env);
    const said = mailDestinationLine(config, port);
    expect(said).toBe(line);
    expect(said).not.toContain("s3cret");
  });

  it("names the server without its credentials", () => {
    expect(smtpServerOf("smtp://a%40b:p%3Ass@127.0.0.1:1025")).toBe("127.0.0.1:1025");
  });
});
