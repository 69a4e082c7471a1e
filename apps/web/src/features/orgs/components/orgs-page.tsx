/** Organizations the caller can see (admins: all), with team and member counts. */
import { useQuery } from "@tanstack/react-query";
import { NameLink } from "@/components/cells.tsx";
import { OrgTeamsLink } from "@/components/org-teams-link.tsx";
import { column, countColumn, dateColumn } from "@/components/columns.tsx";
import type { DataTableColumn } from "@/components/data-table.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ListPage } from "@/components/list-page.tsx";
import { withAccess } from "@/components/require-access.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { can, useAccess } from "@/lib/access.ts";
import { useUrlList } from "@/lib/url-list.ts";
import { orgsQueryOptions, type Organization } from "../api/orgs-queries.ts";
import { CreateOrgDialog } from "./create-org-dialog.tsx";

const columns: Array<DataTableColumn<Organization>> = [
  column("name", "Organization", (org) => (
    <NameLink to="/organizations/$orgId" params={{ orgId: org.id }}>
      {org.name}
    </NameLink>
  )),
  column("role", "Your role", (org) =>
    org.myRole === "ORG_ADMIN" ? (
      <Badge>Org admin</Badge>
    ) : org.myRole === "MEMBER" ? (
      <Badge variant="secondary">Member</Badge>
    ) : (
      <span className="text-muted-foreground">—</span>
    ),
  ),
  column("teams", "Teams", (org) => (
    <OrgTeamsLink orgId={org.id} className="rounded tabular-nums hover:underline">
      {org.teamsCount}
    </OrgTeamsLink>
  )),
  countColumn("members", "Members", (org) => org.membersCount),
  dateColumn(),
];

export const OrgsPage = withAccess(can.seeOrganizations, "organizations", OrgsScreen);

function OrgsScreen() {
  const access = useAccess();
  const list = useUrlList();
  const orgs = useQuery(orgsQueryOptions(list.search));
  return (
    <ListPage
      title="Organizations"
      description={access.isAdmin ? "Every organization." : "The organizations you belong to."}
      actions={access.isAdmin ? <CreateOrgDialog /> : null}
      search={{ id: "org-search", placeholder: "Search by name", ...list.searchBox }}
      columns={columns}
      query={orgs}
      pageLabel="organizations"
      onPage={list.onPage}
      columnClassNames={{ created: "hidden md:table-cell", members: "hidden sm:table-cell" }}
      empty={
        <EmptyState title={list.search.q ? "No organization matches" : "No organizations yet"} />
      }
    />
  );
}
