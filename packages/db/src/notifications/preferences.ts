/** A person's mail opt-outs per event type (notification_preferences, email = false). */
import { ZEventType, type EventType } from "@gatehouse/core";
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export async function getEmailOptOuts(
  db: Pick<Database, "prisma">,
  userId: string,
): Promise<EventType[]> {
  const rows = await db.prisma.notificationPreference.findMany({
    where: { userId, email: false },
    select: { eventType: true },
    orderBy: { eventType: "asc" },
  });
  // A type no longer known (renamed in a later version) is not shown, nor kept on save.
  return rows.flatMap((r) => {
    const parsed = ZEventType.safeParse(r.eventType);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Replaces the person's opt-outs whole; answers the previous ones (for the audit). */
export async function saveEmailOptOuts(
  tx: Tx,
  userId: string,
  optOuts: readonly EventType[],
): Promise<EventType[]> {
  const before = await tx.notificationPreference.findMany({
    where: { userId, email: false },
    select: { eventType: true },
    orderBy: { eventType: "asc" },
  });
  await tx.notificationPreference.deleteMany({ where: { userId } });
  if (optOuts.length > 0) {
    await tx.notificationPreference.createMany({
      data: optOuts.map((eventType) => ({ userId, eventType, email: false })),
    });
  }
  return before.map((r) => r.eventType as EventType);
}
