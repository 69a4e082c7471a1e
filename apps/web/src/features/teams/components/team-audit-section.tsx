/** The team's audit trail (audit.list by target id), newest first, "load older" by cursor. */
import { useInfiniteQuery } from "@tanstack/react-query";
import { AuditTimeline, auditQueryProps } from "@/components/audit-timeline.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { auditPagesQueryOptions } from "@/lib/audit-pages.ts";

export function TeamAuditSection({ teamId }: { teamId: string }) {
  const events = useInfiniteQuery(auditPagesQueryOptions({ targetId: teamId, pageSize: 20 }));
  return (
    <SectionCard id="audit" title="Audit trail">
      <AuditTimeline
        {...auditQueryProps(events)}
        emptyText="Nothing has happened to this team yet."
        showTarget={false}
      />
    </SectionCard>
  );
}
