/**
 * The `events.dispatch` job: one event fanned out to every channel that wants it, in one
 * transaction with marking it dispatched, so a job run twice (at-least-once) fans out once.
 * Each channel adds rows and jobs in that transaction; the deliveries themselves (webhook
 * POSTs, mails) are their own durable jobs, retried on their own.
 */
import { ZEventType, type EventEnvelope } from "@gatehouse/core";
import { lockEventForDispatch, markEventDispatched, transaction, type Tx } from "@gatehouse/db";
import type { LocalJobDeps } from "../worker/local-handlers.ts";
import { fanOutToInbox } from "./to-inbox.ts";
import { fanOutToWebhooks } from "./to-webhooks.ts";

/** What one channel did with an event, for the job's log line. */
export interface FanOut {
  channel: string;
  count: number;
}

/** A channel: adds its rows and jobs for the event in the dispatch's transaction. */
export type Channel = (tx: Tx, event: EventEnvelope, deps: LocalJobDeps) => Promise<FanOut>;

const channels: readonly Channel[] = [fanOutToWebhooks, fanOutToInbox];

export async function dispatchEvent(deps: LocalJobDeps, eventId: string): Promise<string> {
  return transaction(deps.db, async (tx) => {
    const stored = await lockEventForDispatch(tx, eventId);
    if (!stored) return `event ${eventId} is gone`;
    if (stored.dispatchedAt) return `event ${eventId} already dispatched`;
    const event = {
      id: stored.id,
      type: ZEventType.parse(stored.type),
      timestamp: stored.occurredAt.toISOString(),
      organizationId: stored.organizationId,
      teamId: stored.teamId,
      data: stored.data,
    } as EventEnvelope;
    const outcomes: FanOut[] = [];
    for (const channel of channels) outcomes.push(await channel(tx, event, deps));
    await markEventDispatched(tx, eventId, deps.clock.now());
    return outcomes.map((o) => `${o.channel}: ${o.count}`).join(", ");
  });
}
