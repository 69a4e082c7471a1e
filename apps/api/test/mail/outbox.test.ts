/**
 * Mail without SMTP: the worker puts it in the local outbox (status OUTBOX, bodies kept,
 * audited as sent), where system admins read it with outbox.list and outbox.get, and
 * nobody else can. Also: a mail out of attempts is FAILED and audited as such.
 */
import { mailLayout } from "@gatehouse/core";
import { queueMail, transaction } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, type Person } from "../support/fixtures.ts";
import { startHarness, type WorkerHarness } from "../support/harness.ts";

let h: WorkerHarness;
let admin: Person;
let member: Person;
beforeAll(async () => {
  h = await startHarness({ worker: true });
  const person = people(h, "outbox.test");
  admin = await person("admin", { isSystemAdmin: true });
  member = await person("member");
});
afterAll(() => h?.close());

interface OutboxMail {
  id: string;
  purpose: string;
  to: string;
  subject: string;
  status: string;
  transport: string | null;
  createdAt: string;
  sentAt: string | null;
  text?: string | null;
  html?: string | null;
}

async function queue(
  to: string,
  heading: string,
): Promise<{ id: string; text: string; html: string }> {
  const content = mailLayout({
    heading,
    paragraphs: ["You were invited."],
    action: { label: "Accept", url: `${h.url}/invitations/accept?token=tok_outbox_1` },
  });
  const { id } = await transaction(h.db, (tx) =>
    queueMail(tx, { to, purpose: "invitation", content, userId: member.id }),
  );
  h.worker.nudge();
  return { id, text: content.text, html: content.html };
}

describe("the local outbox", () => {
  it("keeps the mail with its bodies, audited as sent, for system admins to read", async () => {
    const mail = await queue("newcomer@outbox.test", "Join Acme");
    await h.drain();

    const got = await h.queryOk<OutboxMail>("outbox.get", { mailId: mail.id }, admin.creds);
    expect(got).toMatchObject({
      id: mail.id,
      purpose: "invitation",
      to: "newcomer@outbox.test",
      subject: "Join Acme",
      status: "OUTBOX",
      transport: "outbox",
      text: mail.text,
      html: mail.html,
    });
    expect(got.sentAt).toEqual(expect.any(String));

    const list = await h.queryOk<{ items: OutboxMail[]; nextCursor: string | null }>(
      "outbox.list",
      {},
      admin.creds,
    );
    const listed = list.items.find((m) => m.id === mail.id);
    expect(listed).toMatchObject({ status: "OUTBOX", to: "newcomer@outbox.test" });
    expect(listed).not.toHaveProperty("text");
    expect(listed).not.toHaveProperty("html");

    const audit = await h.db.pool.query(
      `SELECT action, details FROM audit_events WHERE target_type = 'mail' AND target_id = $1`,
      [mail.id],
    );
    expect(audit.rows).toEqual([
      {
        action: "mail.sent",
        details: { purpose: "invitation", to: "newcomer@outbox.test", transport: "outbox" },
      },
    ]);
  });

  it("is refused to everyone but system admins", async () => {
    const mail = await queue("other@outbox.test", "Join Beta");
    await h.drain();
    const asMember = await h.query(
      "outbox.get",
      { mailId: mail.id },
      { credentials: member.creds },
    );
    expect(asMember.status).toBe(403);
    expect(JSON.stringify(asMember)).not.toContain("tok_outbox_1");
    expect((await h.query("outbox.list", {}, { credentials: member.creds })).status).toBe(403);
    expect((await h.query("outbox.get", { mailId: mail.id })).status).toBe(401);
  });

  it("pages newest first", async () => {
    for (let i = 0; i < 3; i++) await queue(`page-${i}@outbox.test`, `Page ${i}`);
    await h.drain();
    const first = await h.queryOk<{ items: OutboxMail[]; nextCursor: string | null }>(
      "outbox.list",
      { pageSize: 2 },
      admin.creds,
    );
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await h.queryOk<{ items: OutboxMail[]; nextCursor: string | null }>(
      "outbox.list",
      { pageSize: 2, cursor: first.nextCursor },
      admin.creds,
    );
    const ids = [...first.items, ...second.items].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const times = [...first.items, ...second.items].map((m) => m.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("answers 404 for a mail that does not exist", async () => {
    const res = await h.query(
      "outbox.get",
      { mailId: "00000000-0000-4000-8000-000000000000" },
      { credentials: admin.creds },
    );
    expect(res.status).toBe(404);
  });
});
