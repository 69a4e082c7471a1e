/**
 * A search box bound to a URL parameter: the URL follows the typed text (debounced), and
 * the text follows the URL when back/forward or a link changes it.
 */
import { SearchIcon, XIcon } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Input } from "@/components/ui/input.tsx";
import { Label } from "@/components/ui/label.tsx";
import { useDebouncedValue } from "@/lib/use-debounced-value.ts";
import { cn } from "@/lib/utils.ts";

export function SearchInput({
  id,
  label,
  placeholder,
  value,
  onChange,
  hideLabel = false,
  className,
}: {
  id: string;
  label: string;
  placeholder: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  hideLabel?: boolean;
  className?: string;
}) {
  const [text, setText] = useState(value ?? "");
  const debounced = useDebouncedValue(text.trim(), 300);
  // Latest props in refs, so the effects below run only for their own trigger.
  const latest = useRef({ value, onChange, text });
  latest.current = { value, onChange, text };

  useEffect(() => {
    const next = debounced || undefined;
    if (next !== latest.current.value) latest.current.onChange(next);
  }, [debounced]);

  useEffect(() => {
    if ((value ?? "") !== latest.current.text.trim()) setText(value ?? "");
  }, [value]);

  return (
    <div className={cn("flex flex-col gap-1", className)}>
      <Label htmlFor={id} className={hideLabel ? "sr-only" : "text-xs text-muted-foreground"}>
        {label}
      </Label>
      <div className="relative">
        <SearchIcon
          className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground"
          aria-hidden="true"
        />
        <Input
          id={id}
          type="search"
          placeholder={placeholder}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="pr-8 pl-8 [&::-webkit-search-cancel-button]:hidden"
        />
        {text ? (
          <button
            type="button"
            onClick={() => setText("")}
            className="absolute top-2 right-2 rounded p-0.5 text-muted-foreground hover:text-foreground"
            aria-label="Clear search"
          >
            <XIcon className="size-4" aria-hidden="true" />
          </button>
        ) : null}
      </div>
    </div>
  );
}
