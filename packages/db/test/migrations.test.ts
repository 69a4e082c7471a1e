import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";
import { applyMigrations, migrationState } from "../src/migrate.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe("migrations", () => {
  it("are all applied and re-applying is a no-op", async () => {
    const state = await migrationState(db.pool);
    expect(state.pending).toEqual([]);
    expect(state.modified).toEqual([]);
    expect(await applyMigrations(db.pool)).toEqual([]);
  });

  it("make audit events append-only", async () => {
    await db.prisma.auditEvent.create({
      data: { action: "test.event", targetType: "test", targetId: "1" },
    });
    await expect(db.pool.query("UPDATE audit_events SET action = 'x'")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.pool.query("DELETE FROM audit_events")).rejects.toThrow(/append-only/);
  });
});
