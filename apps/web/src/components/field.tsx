import type { ComponentProps, ReactNode } from "react";
import { Input } from "@/components/ui/input.tsx";
import { Label } from "@/components/ui/label.tsx";

/**
 * Core's and the API's messages read after the field's name ("must not be empty"); under
 * a label they start a sentence.
 */
const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** Label, control, hint and error message wired together for screen readers. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
          {sentence(error)}
        </p>
      ) : null}
    </div>
  );
}

/** aria props for the control inside a Field. */
export function fieldAria(id: string, error: string | undefined, hint?: boolean) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

/** A checkbox with its label after it (react-hook-form's `register` spreads onto it). */
export function CheckboxField({ label, ...props }: { label: ReactNode } & ComponentProps<"input">) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" className="accent-[var(--color-primary)]" {...props} />
      {label}
    </label>
  );
}

/** The common case: a Field holding one text Input, its aria wired from id, hint and error. */
export function TextField({
  id,
  label,
  hint,
  error,
  ...input
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
} & Omit<ComponentProps<typeof Input>, "id">) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Input {...fieldAria(id, error, Boolean(hint))} {...input} />
    </Field>
  );
}
