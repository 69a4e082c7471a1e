import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mailLayout } from "@gatehouse/core";
import {
  claimJobs,
  findMail,
  listMails,
  mailToSend,
  markMailDelivered,
  queueMail,
  recordMailFailure,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  userId = (
    await db.prisma.user.create({
      data: { email: "ada@mail.test", name: "Ada", passwordHash: "x" },
    })
  ).id;
});
afterAll(() => db?.close());
beforeEach(async () => {
  await db.pool.query("DELETE FROM jobs");
  await db.pool.query("DELETE FROM mails");
});

const content = mailLayout({
  heading: "Reset your password",
  paragraphs: ["Someone asked to reset it."],
  action: { label: "Reset", url: "https://gh.example/reset?token=secret-token" },
});

describe("queueMail", () => {
  it("writes the mail and its send job in the caller's transaction, the job naming only the id", async () => {
    const { id } = await db.prisma.$transaction((tx) =>
      queueMail(tx, { to: "ada@mail.test", purpose: "password_reset", content, userId }),
    );
    const mail = await mailToSend(db, id);
    expect(mail).toMatchObject({
      id,
      purpose: "password_reset",
      to: "ada@mail.test",
      subject: "Reset your password",
      text: content.text,
      html: content.html,
      status: "QUEUED",
      attempts: 0,
    });
    const claimed = await claimJobs(db.pool, "w", 10, 60_000);
    expect(claimed).toEqual([
      expect.objectContaining({ kind: "mail.send", payload: { mailId: id }, regionId: null }),
    ]);
    expect(JSON.stringify(claimed)).not.toContain("secret-token");
  });

  it("leaves neither the mail nor its job when the transaction rolls back", async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await queueMail(tx, { to: "ada@mail.test", purpose: "test", content });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const { rows } = await db.pool.query<{ m: number; j: number }>(
      `SELECT (SELECT count(*) FROM mails)::int AS m, (SELECT count(*) FROM jobs)::int AS j`,
    );
    expect(rows[0]).toEqual({ m: 0, j: 0 });
  });

  it("keeps the mail when its person is deleted (user_id set null)", async () => {
    const other = await db.prisma.user.create({
      data: { email: "gone@mail.test", name: "Gone", passwordHash: "x" },
    });
    const { id } = await db.prisma.$transaction((tx) =>
      queueMail(tx, { to: other.email, purpose: "invitation", content, userId: other.id }),
    );
    await db.prisma.user.delete({ where: { id: other.id } });
    const { rows } = await db.pool.query(`SELECT user_id FROM mails WHERE id = $1`, [id]);
    expect(rows).toEqual([{ user_id: null }]);
  });
});

describe("recording a mail's fate", () => {
  const queue = () =>
    db.prisma.$transaction((tx) =>
      queueMail(tx, { to: "ada@mail.test", purpose: "test", content }),
    );

  it("SENT over SMTP clears the bodies, once", async () => {
    const { id } = await queue();
    const at = new Date("2026-12-01T10:00:00.000Z");
    const delivered = { transport: "smtp" as const, messageId: "<m1@x>", at };
    expect(await db.prisma.$transaction((tx) => markMailDelivered(tx, id, delivered))).toBe(true);
    expect(await db.prisma.$transaction((tx) => markMailDelivered(tx, id, delivered))).toBe(false);
    expect(await findMail(db, id)).toMatchObject({
      status: "SENT",
      transport: "smtp",
      sentAt: at,
      attempts: 1,
      text: null,
      html: null,
      subject: "Reset your password",
      to: "ada@mail.test",
    });
  });

  it("OUTBOX keeps the bodies (the outbox is where they are read)", async () => {
    const { id } = await queue();
    await db.prisma.$transaction((tx) =>
      markMailDelivered(tx, id, { transport: "outbox", messageId: null, at: new Date() }),
    );
    expect(await findMail(db, id)).toMatchObject({
      status: "OUTBOX",
      transport: "outbox",
      text: content.text,
      html: content.html,
    });
  });

  it("counts failed attempts, and FAILED for good clears the bodies", async () => {
    const { id } = await queue();
    await db.prisma.$transaction((tx) =>
      recordMailFailure(tx, id, { error: "refused", final: false }),
    );
    expect(await findMail(db, id)).toMatchObject({
      status: "QUEUED",
      attempts: 1,
      lastError: "refused",
    });
    await db.prisma.$transaction((tx) =>
      recordMailFailure(tx, id, { error: "again", final: true }),
    );
    expect(await findMail(db, id)).toMatchObject({
      status: "FAILED",
      attempts: 2,
      lastError: "again",
      text: null,
      html: null,
    });
    expect(
      await db.prisma.$transaction((tx) => recordMailFailure(tx, id, { error: "x", final: true })),
    ).toBe(false);
  });

  it("lists mails newest first, page by page", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await queue()).id);
    const first = await listMails(db, { after: null, take: 3 });
    const last = first.at(-1)!;
    const second = await listMails(db, {
      after: { createdAt: last.createdAt, id: last.id },
      take: 3,
    });
    const seen = [...first, ...second].map((m) => m.id);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(5);
    const times = [...first, ...second].map((m) => m.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe("the outbox listing's index", () => {
  it("serves a page, first and next, from (created_at desc, id desc) without sorting the table", async () => {
    await db.pool.query(
      `INSERT INTO mails (purpose, to_address, subject, created_at)
       SELECT 'test', 'x' || g || '@mail.test', 'S' || g, now() - make_interval(secs => g)
         FROM generate_series(1, 3000) g`,
    );
    await db.pool.query("ANALYZE mails");
    const plans = [];
    for (const where of [
      "",
      "WHERE created_at < now() - interval '10 minutes' OR (created_at = now() - interval '10 minutes' AND id < gen_random_uuid())",
    ]) {
      const { rows } = await db.pool.query<{ "QUERY PLAN": unknown }>(
        `EXPLAIN (FORMAT JSON) SELECT id, subject FROM mails ${where} ORDER BY created_at DESC, id DESC LIMIT 51`,
      );
      plans.push(JSON.stringify(rows[0]!["QUERY PLAN"]));
    }
    for (const plan of plans) {
      expect(plan).toContain("mails_created_at_id_idx");
      expect(plan).not.toContain('"Node Type":"Sort"');
    }
  });
});
