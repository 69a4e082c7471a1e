/**
 * The outbox (system administrators): every mail Gatehouse sent or holds, newest first,
 * and the open message. Without SMTP this is where mail is read (the demo's invitations
 * and reset links); a mail sent over SMTP shows its record only, its bodies are gone.
 * The HTML body is shown in a sandboxed frame (`sandbox=""`: no scripts, no same origin,
 * no forms, links cannot navigate this page), the text body as text with its links.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { column } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorState } from "@/components/error-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { QueryTable } from "@/components/query-table.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Badge, type BadgeVariant } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { can } from "@/lib/access.ts";
import { formatDateTime } from "@/lib/format.ts";
import {
  outboxMailQueryOptions,
  outboxPagesQueryOptions,
  type OutboxMail,
  type OutboxMessage,
} from "../api/outbox-queries.ts";
import { MailText } from "./mail-text.tsx";

const statusBadge: Record<OutboxMail["status"], { label: string; variant: BadgeVariant }> = {
  QUEUED: { label: "Queued", variant: "secondary" },
  SENT: { label: "Sent", variant: "success" },
  OUTBOX: { label: "In the outbox", variant: "default" },
  FAILED: { label: "Failed", variant: "destructive" },
};

function StatusBadge({ status }: { status: OutboxMail["status"] }) {
  const { label, variant } = statusBadge[status];
  return <Badge variant={variant}>{label}</Badge>;
}

const purposeLabel = (purpose: string) => purpose.replace(/_/g, " ");

const columns: Array<DataTableColumn<OutboxMail>> = [
  column("subject", "Subject", (mail) => (
    <Link
      to="/outbox"
      search={{ mail: mail.id }}
      className="font-medium text-primary underline-offset-2 hover:underline"
    >
      {mail.subject}
    </Link>
  )),
  column("to", "To", (mail) => <span className="break-all">{mail.to}</span>),
  column("purpose", "Purpose", (mail) => purposeLabel(mail.purpose)),
  column("status", "Status", (mail) => <StatusBadge status={mail.status} />),
  column("created", "Queued", (mail) => formatDateTime(mail.createdAt)),
];

export const OutboxPage = withAccess(can.readOutbox, "the outbox", OutboxScreen);

function OutboxScreen() {
  const search = useSearch({ from: "/_authed/outbox" });
  const pages = useInfiniteQuery(outboxPagesQueryOptions());
  const mails = pages.data?.pages.flatMap((p) => p.items);
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Mail Gatehouse sent, newest first. Without SMTP configured, mail stays here to be read."
      />
      {search.mail ? <MessageView mailId={search.mail} /> : null}
      <Card>
        <QueryTable
          caption="Outbox"
          columns={columns}
          query={{ ...pages, data: mails }}
          columnClassNames={{ purpose: "hidden md:table-cell", created: "hidden lg:table-cell" }}
          empty={
            <EmptyState
              title="No mail yet"
              description="Invitations and password resets appear here once they are sent."
            />
          }
        />
        {pages.hasNextPage ? (
          <div className="border-t p-3 text-center">
            <Button
              variant="outline"
              size="sm"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {pages.isFetchingNextPage ? "Loading…" : "Load older mail"}
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}

function MessageView({ mailId }: { mailId: string }) {
  const message = useQuery(outboxMailQueryOptions(mailId));
  return (
    <SectionCard
      id="outbox-message"
      title={message.data ? message.data.subject : "Message"}
      className="mb-5"
      actions={
        <Button asChild variant="outline" size="sm">
          <Link to="/outbox" search={{}}>
            Close message
          </Link>
        </Button>
      }
    >
      {message.isPending ? (
        <p className="p-4 text-sm text-muted-foreground">Loading…</p>
      ) : message.error ? (
        <ErrorState
          error={message.error}
          title="Could not load this message"
          onRetry={() => void message.refetch()}
          className="m-4"
        />
      ) : (
        <Message mail={message.data} />
      )}
    </SectionCard>
  );
}

function Message({ mail }: { mail: OutboxMessage }) {
  const [view, setView] = useState<"html" | "text">("html");
  const shown = view === "html" && mail.html !== null ? "html" : "text";
  return (
    <div className="border-t">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 p-4 text-sm">
        <dt className="text-muted-foreground">To</dt>
        <dd className="break-all">{mail.to}</dd>
        <dt className="text-muted-foreground">Purpose</dt>
        <dd>{purposeLabel(mail.purpose)}</dd>
        <dt className="text-muted-foreground">Status</dt>
        <dd>
          <StatusBadge status={mail.status} />
          {mail.lastError ? (
            <span className="ml-2 text-muted-foreground">Last error: {mail.lastError}</span>
          ) : null}
        </dd>
        <dt className="text-muted-foreground">Queued</dt>
        <dd>{formatDateTime(mail.createdAt)}</dd>
        <dt className="text-muted-foreground">Sent</dt>
        <dd>{formatDateTime(mail.sentAt)}</dd>
      </dl>
      {mail.text === null && mail.html === null ? (
        <p className="border-t p-4 text-sm text-muted-foreground">
          The body is no longer kept: the mail server took it (or it failed for good), and Gatehouse
          does not hold on to links that may carry a token.
        </p>
      ) : (
        <div className="border-t">
          <div role="group" aria-label="Show the message as" className="flex gap-2 p-3">
            <Button
              variant={shown === "html" ? "default" : "outline"}
              size="sm"
              aria-pressed={shown === "html"}
              disabled={mail.html === null}
              onClick={() => setView("html")}
            >
              HTML
            </Button>
            <Button
              variant={shown === "text" ? "default" : "outline"}
              size="sm"
              aria-pressed={shown === "text"}
              disabled={mail.text === null}
              onClick={() => setView("text")}
            >
              Plain text
            </Button>
          </div>
          {shown === "html" && mail.html !== null ? (
            <iframe
              title={`Message: ${mail.subject}`}
              sandbox=""
              srcDoc={mail.html}
              className="h-[28rem] w-full border-t bg-white"
            />
          ) : mail.text !== null ? (
            <MailText text={mail.text} />
          ) : null}
        </div>
      )}
    </div>
  );
}
