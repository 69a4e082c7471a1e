/**
 * Mail over SMTP, end to end: a mail queued in a transaction is sent by the worker to a
 * real SMTP server on loopback, with its text and HTML parts, From and To; it is audited
 * as sent (purpose and recipient, never the body), and its bodies are cleared from the
 * row. A server that refuses once gets the mail on the retry, exactly once.
 */
import { mailLayout } from "@gatehouse/core";
import { queueMail, transaction } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainUntilDone, startHarness, type MailHarness } from "../support/harness.ts";
import { addressOf } from "../support/smtp.ts";

let h: MailHarness;
beforeAll(async () => {
  h = await startHarness({
    smtp: true,
    env: { GATEHOUSE_MAIL_FROM: "Gatehouse <noreply@gh.test>" },
  });
});
afterAll(() => h?.close());

const TOKEN = "tok_ZYXWV98765";

async function queue(to: string, subject: string): Promise<string> {
  const content = mailLayout({
    heading: subject,
    paragraphs: ["Someone asked to reset your password."],
    action: { label: "Reset it", url: `${h.url}/reset-password?token=${TOKEN}` },
  });
  const { id } = await transaction(h.db, (tx) =>
    queueMail(tx, { to, purpose: "password_reset", content }),
  );
  h.worker.nudge();
  return id;
}

describe("mail over SMTP", () => {
  it("delivers text and HTML, From and To, audits it as sent and clears the bodies", async () => {
    const id = await queue("ada@smtp.test", "Reset your password (1)");
    const received = await h.smtp.waitFor((m) => m.subject === "Reset your password (1)");
    expect(addressOf(received.to)).toBe("ada@smtp.test");
    expect(addressOf(received.from)).toBe("noreply@gh.test");
    expect(received.text).toContain(`/reset-password?token=${TOKEN}`);
    expect(received.html).toContain(`/reset-password?token=${TOKEN}`);
    expect(received.html).toContain("<a href=");

    await h.drain();
    const { rows } = await h.db.pool.query(
      `SELECT status, transport, attempts, text_body, html_body, message_id, sent_at FROM mails WHERE id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({
      status: "SENT",
      transport: "smtp",
      attempts: 1,
      text_body: null,
      html_body: null,
    });
    expect(rows[0].message_id).toEqual(expect.any(String));
    expect(rows[0].sent_at).toBeInstanceOf(Date);

    const audit = await h.db.pool.query(
      `SELECT action, actor_user_id, details FROM audit_events WHERE target_type = 'mail' AND target_id = $1`,
      [id],
    );
    expect(audit.rows).toEqual([
      {
        action: "mail.sent",
        actor_user_id: null,
        details: { purpose: "password_reset", to: "ada@smtp.test", transport: "smtp" },
      },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(TOKEN);
  });

  it("retries after a refusal: delivered once, both attempts recorded", async () => {
    h.smtp.refuseNext(1);
    const refusedBefore = h.smtp.refused;
    const id = await queue("bob@smtp.test", "Reset your password (2)");
    // The first attempt is refused (451), the job goes back on the queue with a backoff,
    // which drainUntilDone makes due at once instead of sleeping through it.
    await drainUntilDone(h);
    const received = await h.smtp.waitFor((m) => m.subject === "Reset your password (2)");
    expect(addressOf(received.to)).toBe("bob@smtp.test");
    expect(h.smtp.refused).toBe(refusedBefore + 1);
    expect(h.smtp.messages.filter((m) => m.subject === "Reset your password (2)")).toHaveLength(1);
    const { rows } = await h.db.pool.query(
      `SELECT status, attempts, last_error, text_body FROM mails WHERE id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({
      status: "SENT",
      attempts: 2,
      last_error: null,
      text_body: null,
    });
    const jobs = await h.db.pool.query(
      `SELECT status, attempts FROM jobs WHERE kind = 'mail.send' AND payload->>'mailId' = $1`,
      [id],
    );
    expect(jobs.rows).toEqual([{ status: "DONE", attempts: 2 }]);
  });

  it("does not send again when the job runs again after the mail was recorded as sent", async () => {
    const id = await queue("carol@smtp.test", "Reset your password (3)");
    await h.smtp.waitFor((m) => m.subject === "Reset your password (3)");
    await h.drain();
    // As if a worker died after recording the send, before completing its job.
    await h.db.pool.query(
      `UPDATE jobs SET status = 'PENDING', run_at = now() WHERE kind = 'mail.send' AND payload->>'mailId' = $1`,
      [id],
    );
    await h.drain();
    const { rows } = await h.db.pool.query(
      `SELECT status, attempts FROM jobs WHERE kind = 'mail.send' AND payload->>'mailId' = $1`,
      [id],
    );
    expect(rows).toEqual([{ status: "DONE", attempts: 2 }]);
    expect(h.smtp.messages.filter((m) => m.subject === "Reset your password (3)")).toHaveLength(1);
  });
});
