/**
 * A mail's body carries single-use links (`?token=`): no log line of the API or the worker
 * may hold one, on success, on a refused attempt, or in the local outbox; and neither may
 * the queue's record of a failure (jobs.last_error, shown to operators). Also: a mail out
 * of attempts ends FAILED, its bodies cleared, audited as `mail.failed`.
 */
import { Writable } from "node:stream";
import { mailLayout } from "@gatehouse/core";
import { queueMail, transaction } from "@gatehouse/db";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { startHarness, type Harness, type WorkerHarness } from "../support/harness.ts";

const TOKEN = "tok_SECRET_4c1d9e";

function captureLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger("trace", sink) };
}

async function queue(h: Harness, to: string, subject: string): Promise<string> {
  const content = mailLayout({
    heading: subject,
    paragraphs: [`Your code is ${TOKEN}.`],
    action: { label: "Reset", url: `${h.url}/reset-password?token=${TOKEN}` },
  });
  const { id } = await transaction(h.db, (tx) =>
    queueMail(tx, { to, purpose: "password_reset", content }),
  );
  return id;
}

/** Runs the worker until nothing is queued, making jobs waiting on a backoff due at once. */
async function settle(h: WorkerHarness): Promise<void> {
  for (let round = 0; round < 10; round++) {
    await h.drain();
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE status IN ('PENDING', 'RUNNING')`,
    );
    if (rows[0]!.n === 0) return;
    await h.db.pool.query(`UPDATE jobs SET run_at = now() WHERE status = 'PENDING'`);
  }
  throw new Error("jobs did not settle");
}

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

describe("no token in logs", () => {
  it("over SMTP, with a refused attempt and a mail that runs out of attempts", async () => {
    const { lines, logger } = captureLogger();
    const h = await startHarness({ smtp: true, logger });
    harnesses.push(h);

    h.smtp.refuseNext(1);
    const sent = await queue(h, "ada@logs.test", "Reset (sent)");
    h.worker.nudge();
    await settle(h);
    await h.smtp.waitFor((m) => m.subject === "Reset (sent)");

    const failing = await queue(h, "bob@logs.test", "Reset (failing)");
    await h.db.pool.query(
      `UPDATE jobs SET max_attempts = 2 WHERE kind = 'mail.send' AND payload->>'mailId' = $1`,
      [failing],
    );
    h.smtp.refuseNext(2);
    h.worker.nudge();
    await settle(h);

    const { rows } = await h.db.pool.query<{ id: string; last_error: string | null }>(
      `SELECT id, status, attempts, text_body, html_body, last_error FROM mails WHERE id = ANY($1::uuid[])`,
      [[sent, failing]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(sent)).toMatchObject({ status: "SENT", attempts: 2, text_body: null });
    expect(byId.get(failing)).toMatchObject({
      status: "FAILED",
      attempts: 2,
      text_body: null,
      html_body: null,
    });
    expect(byId.get(failing)?.last_error).toContain("451");

    const audit = await h.db.pool.query(
      `SELECT action, details FROM audit_events WHERE target_type = 'mail' AND target_id = $1`,
      [failing],
    );
    expect(audit.rows).toEqual([
      {
        action: "mail.failed",
        details: expect.objectContaining({ purpose: "password_reset", to: "bob@logs.test" }),
      },
    ]);

    const jobs = await h.db.pool.query(
      `SELECT payload, last_error FROM jobs WHERE kind = 'mail.send'`,
    );
    expect(lines.some((l) => l.includes("job failed"))).toBe(true);
    for (const text of [...lines, JSON.stringify(jobs.rows), JSON.stringify(audit.rows)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain("token=");
    }
  });

  it("in the local outbox", async () => {
    const { lines, logger } = captureLogger();
    const h = await startHarness({ worker: true, logger });
    harnesses.push(h);
    const id = await queue(h, "carol@logs.test", "Reset (outbox)");
    h.worker.nudge();
    await settle(h);
    const { rows } = await h.db.pool.query(`SELECT status FROM mails WHERE id = $1`, [id]);
    expect(rows).toEqual([{ status: "OUTBOX" }]);
    expect(lines.some((l) => l.includes("mail put in the local outbox"))).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain("token=");
    }
  });
});
