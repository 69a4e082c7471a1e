import { ChevronLeftIcon, ChevronRightIcon, ChevronsLeftIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button.tsx";
import { OptionSelect } from "@/components/option-select.tsx";

export const pageSizes = [10, 25, 50, 100] as const;
const pageSizeOptions = pageSizes.map((size) => ({ value: String(size), label: String(size) }));

/**
 * Page controls for offset paging with an optional keyset fallback: past the counted
 * range (or when the server capped the total) "Next" follows the opaque cursor instead.
 */
export function Pagination({
  page,
  totalPages,
  total,
  totalCapped = false,
  pageSize,
  hasNext,
  onFirst,
  onPrevious,
  onNext,
  onPageSizeChange,
  label,
}: {
  /** Null when the current page was reached by cursor. */
  page: number | null;
  totalPages: number;
  total: number;
  totalCapped?: boolean;
  pageSize: number;
  hasNext: boolean;
  onFirst: () => void;
  onPrevious: (() => void) | null;
  onNext: () => void;
  onPageSizeChange?: (size: number) => void;
  label: string;
}) {
  const summary =
    page === null
      ? `Showing the next ${pageSize} of ${totalCapped ? "more than " : ""}${total.toLocaleString()} ${label}`
      : `Page ${page.toLocaleString()} of ${Math.max(totalPages, 1).toLocaleString()} · ${totalCapped ? "more than " : ""}${total.toLocaleString()} ${label}`;
  return (
    <nav
      aria-label={`${label} pages`}
      className="flex flex-wrap items-center justify-between gap-3 border-t px-3 py-3 text-sm"
    >
      <p className="text-muted-foreground" aria-live="polite">
        {summary}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        {onPageSizeChange ? (
          <div className="flex items-center gap-2">
            <span id="page-size-label" className="text-muted-foreground">
              Rows
            </span>
            <OptionSelect
              value={String(pageSize)}
              onValueChange={(value) => onPageSizeChange(Number(value))}
              options={pageSizeOptions}
              className="h-8 w-20"
              aria-labelledby="page-size-label"
            />
          </div>
        ) : null}
        <PageButton onClick={onFirst} disabled={page === 1} label="First page">
          <ChevronsLeftIcon aria-hidden="true" />
        </PageButton>
        <PageButton onClick={onPrevious} disabled={!onPrevious} label="Previous page">
          <ChevronLeftIcon aria-hidden="true" />
          <span className="hidden sm:inline">Previous</span>
        </PageButton>
        <PageButton onClick={onNext} disabled={!hasNext} label="Next page">
          <span className="hidden sm:inline">Next</span>
          <ChevronRightIcon aria-hidden="true" />
        </PageButton>
      </div>
    </nav>
  );
}

/**
 * A pager button that stays focusable when it runs out of pages (aria-disabled, not
 * disabled): pressing Next onto the last page must not drop a keyboard user's focus.
 */
function PageButton({
  onClick,
  disabled,
  label,
  children,
}: {
  onClick: (() => void) | null;
  disabled: boolean;
  label: string;
  children: ReactNode;
}) {
  return (
    <Button
      variant="outline"
      size="sm"
      aria-label={label}
      aria-disabled={disabled || undefined}
      onClick={disabled || !onClick ? undefined : onClick}
    >
      {children}
    </Button>
  );
}
