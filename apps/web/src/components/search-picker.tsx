/**
 * A searchable picker (combobox): a button that opens a cmdk list whose items come from
 * the server. Filtering is the server's job (shouldFilter=false); the owner feeds items
 * for the current search text.
 */
import { CheckIcon, ChevronsUpDownIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button.tsx";
import {
  Command,
  CommandEmpty,
  CommandInput,
  CommandItem,
  CommandList,
  CommandLoading,
} from "@/components/ui/command.tsx";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover.tsx";
import { cn } from "@/lib/utils.ts";

export interface PickerItem {
  value: string;
  label: string;
  description?: ReactNode;
  disabled?: boolean;
}

export function SearchPicker({
  id,
  value,
  selectedLabel,
  onChange,
  items,
  search,
  onSearchChange,
  isLoading,
  error,
  placeholder = "Select…",
  searchPlaceholder = "Search…",
  emptyText = "Nothing found.",
  disabled = false,
  className,
  "aria-invalid": ariaInvalid,
  "aria-describedby": ariaDescribedBy,
}: {
  id?: string;
  value: string | null;
  selectedLabel: string | null;
  onChange: (value: string, item: PickerItem) => void;
  items: PickerItem[];
  search: string;
  onSearchChange: (search: string) => void;
  isLoading: boolean;
  error?: string | null;
  placeholder?: string;
  searchPlaceholder?: string;
  emptyText?: string;
  disabled?: boolean;
  className?: string;
  "aria-invalid"?: boolean | undefined;
  "aria-describedby"?: string | undefined;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          id={id}
          variant="outline"
          role="combobox"
          aria-expanded={open}
          aria-invalid={ariaInvalid}
          aria-describedby={ariaDescribedBy}
          disabled={disabled}
          className={cn(
            "w-full justify-between font-normal",
            !selectedLabel && "text-muted-foreground",
            className,
          )}
        >
          <span className="truncate">{selectedLabel ?? placeholder}</span>
          <ChevronsUpDownIcon className="opacity-50" aria-hidden="true" />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-(--radix-popover-trigger-width) min-w-64">
        <Command shouldFilter={false}>
          <CommandInput
            value={search}
            onValueChange={onSearchChange}
            placeholder={searchPlaceholder}
          />
          <CommandList>
            {isLoading ? <CommandLoading>Searching…</CommandLoading> : null}
            {error ? <div className="px-2 py-3 text-sm text-destructive">{error}</div> : null}
            {!isLoading && !error ? <CommandEmpty>{emptyText}</CommandEmpty> : null}
            {items.map((item) => (
              <CommandItem
                key={item.value}
                value={item.value}
                disabled={item.disabled ?? false}
                onSelect={() => {
                  onChange(item.value, item);
                  setOpen(false);
                }}
              >
                <CheckIcon
                  className={cn("size-4", value === item.value ? "opacity-100" : "opacity-0")}
                  aria-hidden="true"
                />
                <div className="flex min-w-0 flex-col">
                  <span className="truncate">{item.label}</span>
                  {item.description ? (
                    <span className="truncate text-xs text-muted-foreground">
                      {item.description}
                    </span>
                  ) : null}
                </div>
              </CommandItem>
            ))}
          </CommandList>
        </Command>
      </PopoverContent>
    </Popover>
  );
}
