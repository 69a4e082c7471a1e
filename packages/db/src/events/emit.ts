/**
 * Recording events (core events.ts). An event is written once per stable id and its fan-out
 * job (`events.dispatch`) is queued with it, in the caller's transaction: an event exists
 * exactly when the change or reading that produced it committed, and a signal found again
 * (a second sync, a retried job, two workers) inserts nothing and queues nothing.
 */
import { jobs, type EventEnvelope } from "@gatehouse/core";
import { Prisma } from "../generated/prisma/client.ts";
import { enqueueJobs } from "../jobs/enqueue.ts";
import type { Tx } from "../transaction.ts";

/** Writes the events not seen before and queues their dispatch; answers the new ids. */
export async function emitEvents(tx: Tx, events: readonly EventEnvelope[]): Promise<string[]> {
  if (events.length === 0) return [];
  const document = JSON.stringify(
    events.map((e) => ({
      id: e.id,
      type: e.type,
      organization_id: e.organizationId,
      team_id: e.teamId,
      data: e.data,
      occurred_at: e.timestamp,
    })),
  );
  const inserted = await tx.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    INSERT INTO events (id, type, organization_id, team_id, data, occurred_at)
    SELECT id, type, organization_id, team_id, data, occurred_at
      FROM jsonb_to_recordset(${document}::jsonb)
        AS e(id text, type text, organization_id uuid, team_id uuid, data jsonb, occurred_at timestamptz)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`);
  const ids = inserted.map((row) => row.id);
  await enqueueJobs(
    tx,
    ids.map((eventId) => jobs.dispatchEvent({ eventId })),
  );
  return ids;
}

export interface StoredEvent {
  id: string;
  type: string;
  organizationId: string | null;
  teamId: string | null;
  data: unknown;
  occurredAt: Date;
  dispatchedAt: Date | null;
}

/**
 * The event a dispatch job fans out, locked for the dispatch's transaction (two runs of one
 * job wait for each other, and the second sees `dispatchedAt` set).
 */
export async function lockEventForDispatch(tx: Tx, id: string): Promise<StoredEvent | null> {
  const rows = await tx.$queryRaw<
    Array<{
      id: string;
      type: string;
      organization_id: string | null;
      team_id: string | null;
      data: unknown;
      occurred_at: Date;
      dispatched_at: Date | null;
    }>
  >(Prisma.sql`
    SELECT id, type, organization_id::text, team_id::text, data, occurred_at, dispatched_at
      FROM events WHERE id = ${id} FOR UPDATE`);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    type: row.type,
    organizationId: row.organization_id,
    teamId: row.team_id,
    data: row.data,
    occurredAt: row.occurred_at,
    dispatchedAt: row.dispatched_at,
  };
}

export async function markEventDispatched(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.event.update({ where: { id }, data: { dispatchedAt: at } });
}
