/**
 * One endpoint's delivery log: every attempt, newest first (time, event, status code or
 * why there was none, latency, and the delivery's attempts and state), paged by cursor.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SimpleTable } from "@/components/simple-table.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { TableCell, TableHead, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { webhookDeliveriesQueryOptions, type Webhook } from "../api/webhooks-queries.ts";

const statusLabel = { PENDING: "Retrying", DELIVERED: "Delivered", FAILED: "Failed" } as const;

export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const log = useQuery(webhookDeliveriesQueryOptions(webhook.id, cursor));
  const items = log.data?.items ?? [];
  return (
    <div className="flex flex-col gap-2">
      {log.isLoading ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : items.length === 0 && cursors.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No delivery yet. Send a test event to see one here.
        </p>
      ) : (
        <SimpleTable
          aria-label={`Delivery log of ${webhook.url}`}
          head={
            <>
              <TableHead>Time</TableHead>
              <TableHead>Event</TableHead>
              <TableHead>Status code</TableHead>
              <TableHead>Latency</TableHead>
              <TableHead>Delivery</TableHead>
            </>
          }
        >
          {items.map((a) => (
            <TableRow key={a.id}>
              <TableCell>{formatDateTime(a.attemptedAt)}</TableCell>
              <TableCell>
                <code className="font-mono text-xs">{a.eventType}</code>
                <div className="font-mono text-xs break-all text-muted-foreground">{a.eventId}</div>
              </TableCell>
              <TableCell>
                {a.statusCode ?? "none"}
                {a.error ? (
                  <div className="text-xs break-words text-muted-foreground">{a.error}</div>
                ) : null}
              </TableCell>
              <TableCell>{a.latencyMs} ms</TableCell>
              <TableCell>
                <Badge variant={a.deliveryStatus === "FAILED" ? "destructive" : "secondary"}>
                  {statusLabel[a.deliveryStatus]}
                </Badge>{" "}
                <span className="text-xs text-muted-foreground">
                  {a.deliveryAttempts} attempt{a.deliveryAttempts === 1 ? "" : "s"}
                </span>
              </TableCell>
            </TableRow>
          ))}
        </SimpleTable>
      )}
      <div className="flex gap-2">
        {cursors.length > 0 ? (
          <Button variant="outline" size="sm" onClick={() => setCursors([])}>
            Newest
          </Button>
        ) : null}
        {log.data?.nextCursor ? (
          <Button
            variant="outline"
            size="sm"
            onClick={() => setCursors([...cursors, log.data.nextCursor!])}
          >
            Older attempts
          </Button>
        ) : null}
        <Button variant="ghost" size="sm" onClick={() => void log.refetch()}>
          Refresh log
        </Button>
      </div>
    </div>
  );
}
