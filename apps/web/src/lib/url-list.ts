/**
 * A list whose search text (`q`) and page live in the URL, so a search or a page can be
 * bookmarked and back/forward walks through them. A new search starts at page 1, and page 1
 * stays out of the URL.
 */
export interface ListSearch {
  q?: string | undefined;
  page?: number | undefined;
}

/** The search box's value and handlers and the page controls' handler for PagedQueryTable. */
export function urlListControls(
  search: ListSearch,
  navigate: (update: (prev: ListSearch) => ListSearch) => unknown,
) {
  return {
    search: {
      value: search.q,
      onChange: (q: string | undefined) => void navigate(() => ({ q })),
    },
    onPage: (page: number) =>
      void navigate((prev) => ({ ...prev, page: page > 1 ? page : undefined })),
  };
}
