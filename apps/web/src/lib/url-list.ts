/**
 * A list whose search text (`q`) and page live in the URL (users, organizations), so a
 * search or a page can be bookmarked and back/forward walks through them. A new search
 * starts at page 1, and page 1 stays out of the URL.
 */
import { useNavigate, useSearch } from "@tanstack/react-router";

export interface ListSearch {
  q?: string | undefined;
  page?: number | undefined;
}

/** The current route's list search, its search box's value and handler, and its paging. */
export function useUrlList() {
  // The route validated its search (q, page); any list route calls this, so not `from`.
  const search: ListSearch = useSearch({ strict: false });
  const navigate = useNavigate();
  return {
    search,
    searchBox: {
      value: search.q,
      onChange: (q: string | undefined) => void navigate({ to: ".", search: { q } }),
    },
    onPage: (page: number) =>
      void navigate({
        to: ".",
        search: (prev) => ({ ...prev, page: page > 1 ? page : undefined }),
      }),
  };
}
