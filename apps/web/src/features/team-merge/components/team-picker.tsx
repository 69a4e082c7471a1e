/** Searchable team select for the merge dialog (server-side search, 20 results). */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SearchPicker } from "@/components/search-picker.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { useDebouncedValue } from "@/lib/use-debounced-value.ts";
import { teamSearchQueryOptions } from "../api/team-search.ts";

export interface TeamRef {
  id: string;
  name: string;
  organizationName: string | null;
}

export function TeamPicker({
  id,
  value,
  onChange,
  excludeId,
  placeholder,
  invalid,
  describedBy,
}: {
  id: string;
  value: TeamRef | null;
  onChange: (team: TeamRef) => void;
  /** The team chosen on the other side: a team cannot merge into itself. */
  excludeId: string | null;
  placeholder: string;
  invalid?: boolean;
  describedBy?: string | undefined;
}) {
  const [search, setSearch] = useState("");
  const debounced = useDebouncedValue(search.trim());
  const teams = useQuery(teamSearchQueryOptions(debounced));
  const found = teams.data?.items ?? [];
  const items = found.map((t) => ({
    value: t.id,
    label: t.name,
    description: [
      t.organization?.name ?? "No organization",
      `${t.membersCount} members`,
      `${t.keysCount} keys`,
      t.id === excludeId ? "already chosen" : null,
    ]
      .filter(Boolean)
      .join(" · "),
    disabled: t.id === excludeId,
  }));
  return (
    <SearchPicker
      id={id}
      value={value?.id ?? null}
      selectedLabel={
        value
          ? `${value.name}${value.organizationName ? ` (${value.organizationName})` : ""}`
          : null
      }
      onChange={(teamId) => {
        const team = found.find((t) => t.id === teamId);
        if (team)
          onChange({
            id: team.id,
            name: team.name,
            organizationName: team.organization?.name ?? null,
          });
      }}
      items={items}
      search={search}
      onSearchChange={setSearch}
      isLoading={teams.isLoading}
      error={teams.error ? errorInfo(teams.error).message : null}
      placeholder={placeholder}
      searchPlaceholder="Team name or id…"
      emptyText="No team matches."
      aria-invalid={invalid}
      aria-describedby={describedBy}
    />
  );
}
