/** Table cells several lists share: a person, an on/off status, a row's labelled button, a name link. */
import { createLink } from "@tanstack/react-router";
import { Trash2Icon } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { Badge, type BadgeVariant } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { cn } from "@/lib/utils.ts";

/** Name above email; `emailClassName` hides the email where a column shows it. */
export function PersonCell({
  name,
  email,
  emailClassName = "",
}: {
  name: ReactNode;
  email: ReactNode;
  emailClassName?: string;
}) {
  return (
    <div className="flex min-w-0 flex-col">
      <span className="font-medium">{name}</span>
      <span className={`text-xs text-muted-foreground ${emailClassName}`}>{email}</span>
    </div>
  );
}

export function ActiveBadge({
  active,
  inactive = "Disabled",
  inactiveVariant = "destructive",
}: {
  active: boolean;
  inactive?: string;
  inactiveVariant?: BadgeVariant;
}) {
  return active ? (
    <Badge variant="success">Active</Badge>
  ) : (
    <Badge variant={inactiveVariant}>{inactive}</Badge>
  );
}

/** A row's small button: "Edit", "Revoke"…, named for screen readers after the row. */
export function RowButton({
  label,
  name,
  ...props
}: { label: string; name: string } & Omit<ComponentProps<typeof Button>, "children">) {
  return (
    <Button variant="ghost" size="sm" {...props}>
      {label}
      <span className="sr-only"> {name}</span>
    </Button>
  );
}

/** A row's destructive button: a bin icon on narrow screens, the word on wider ones. */
export function RemoveButton({
  label,
  name,
  onClick,
}: {
  label: string;
  name: string;
  onClick: () => void;
}) {
  return (
    <Button
      variant="ghost"
      size="sm"
      className="text-destructive"
      onClick={onClick}
      aria-label={`${label} ${name}`}
      aria-haspopup="dialog"
    >
      <Trash2Icon className="sm:hidden" aria-hidden="true" />
      <span className="hidden sm:inline">{label}</span>
    </Button>
  );
}

/**
 * A row's name linking to its own page (a team, an organization): the first column of the
 * lists whose rows have one. `createLink` keeps the router's typed `to` and `params`.
 */
export const NameLink = createLink(function NameAnchor({
  className,
  ...props
}: ComponentProps<"a">) {
  return (
    <a className={cn("rounded font-medium text-primary hover:underline", className)} {...props} />
  );
});
