/** Organization filter for the teams table: admins search all, org admins their own. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SearchPicker, type PickerItem } from "@/components/search-picker.tsx";
import { useAccess } from "@/lib/access.ts";
import { errorInfo } from "@/lib/errors.ts";
import { trpc } from "@/lib/trpc.ts";
import { useDebouncedValue } from "@/lib/use-debounced-value.ts";

const ALL = "__all__";

export function OrgFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (orgId: string | undefined) => void;
}) {
  const access = useAccess();
  const [search, setSearch] = useState("");
  const debounced = useDebouncedValue(search.trim());
  const orgs = useQuery(
    trpc.orgs.list.queryOptions({
      page: 1,
      pageSize: 50,
      ...(debounced ? { search: debounced } : {}),
    }),
  );
  const visible = (orgs.data?.items ?? []).filter(
    (o) => access.isAdmin || o.myRole === "ORG_ADMIN",
  );
  const items: PickerItem[] = [
    { value: ALL, label: "All organizations" },
    ...visible.map((o) => ({ value: o.id, label: o.name, description: `${o.teamsCount} teams` })),
  ];
  const selected =
    value === undefined
      ? "All organizations"
      : (visible.find((o) => o.id === value)?.name ??
        access.organizations.find((o) => o.id === value)?.name ??
        "Selected organization");
  return (
    <SearchPicker
      id="org-filter"
      value={value ?? ALL}
      selectedLabel={selected}
      onChange={(next) => onChange(next === ALL ? undefined : next)}
      items={items}
      search={search}
      onSearchChange={setSearch}
      isLoading={orgs.isLoading}
      error={orgs.error ? errorInfo(orgs.error).message : null}
      searchPlaceholder="Search organizations…"
      emptyText="No organization matches."
    />
  );
}
