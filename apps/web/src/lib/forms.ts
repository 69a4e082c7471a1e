/**
 * Forms and the API's errors. The API answers a bad input with `data.fieldErrors`
 * (`{ "email": [...], "limits.maxKeys": [...], "_": [...] }`, see apps/api/src/trpc/init.ts)
 * and a refusal about one field (a taken name) with `data.details.field`. These helpers put
 * each message on the form input it belongs to, and leave the rest for one alert.
 */
import { useCallback, useState } from "react";
import {
  get,
  type FieldError,
  type FieldValues,
  type Path,
  type UseFormReturn,
} from "react-hook-form";
import { errorInfo, type ErrorInfo } from "@/lib/errors.ts";

/** The API's messages by field: its fieldErrors, else the field its details name. */
export function apiFieldMessages(info: ErrorInfo): Record<string, string> {
  const fields =
    info.fieldErrors ??
    (typeof info.details?.field === "string" ? { [info.details.field]: [info.message] } : {});
  return Object.fromEntries(
    Object.entries(fields).map(([field, messages]) => [field, messages.join(", ")]),
  );
}

/**
 * Sets each API field message on its input. Returns true when every message found an input
 * (so nothing else needs saying), false when the error needs the form's alert.
 */
export function placeApiFieldErrors<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, "setError">,
  info: ErrorInfo,
  fieldOf: (apiField: string) => Path<T> | null,
): boolean {
  const messages = Object.entries(apiFieldMessages(info));
  let unplaced = messages.length === 0;
  for (const [apiField, message] of messages) {
    const field = fieldOf(apiField);
    if (field) form.setError(field, { type: "server", message });
    else unplaced = true;
  }
  return !unplaced;
}

/** By default an API field maps to the form value of the same name, when the form has one. */
function sameNameField<T extends FieldValues>(form: UseFormReturn<T>) {
  return (apiField: string): Path<T> | null =>
    Object.hasOwn(form.getValues(), apiField) ? (apiField as Path<T>) : null;
}

export interface ApiFormErrors {
  /** The error to show in the form's alert: null when none, or when every field took its message. */
  failure: ErrorInfo | null;
  /** A mutation's `onError`: field messages go on the inputs, the rest into `failure`. */
  onError: (error: unknown) => void;
  clear: () => void;
}

/**
 * The API's field errors on a react-hook-form form. `fieldOf` maps an API field path to a
 * form field when they differ (e.g. "limits.models.3" -> "models").
 */
export function useApiFormErrors<T extends FieldValues>(
  form: UseFormReturn<T>,
  fieldOf?: (apiField: string) => Path<T> | null,
): ApiFormErrors {
  const [failure, setFailure] = useState<ErrorInfo | null>(null);
  const onError = useCallback(
    (error: unknown) => {
      const info = errorInfo(error);
      setFailure(placeApiFieldErrors(form, info, fieldOf ?? sameNameField(form)) ? null : info);
    },
    [form, fieldOf],
  );
  const clear = useCallback(() => setFailure(null), []);
  return { failure, onError, clear };
}

export interface FormDialogState extends ApiFormErrors {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  close: () => void;
}

/**
 * A dialog holding a form: opening starts from `initial()` (an edit dialog's current
 * values) or the form's defaults, closing drops what was typed and the last error, and
 * `onClose` resets whatever else the dialog keeps (a revealed secret, a picked user).
 */
export function useFormDialog<T extends FieldValues>(
  form: UseFormReturn<T>,
  options: {
    initial?: () => T;
    onClose?: () => void;
    fieldOf?: (apiField: string) => Path<T> | null;
  } = {},
): FormDialogState {
  const [open, setOpen] = useState(false);
  const errors = useApiFormErrors(form, options.fieldOf);
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    form.reset(options.initial?.());
    errors.clear();
    if (!next) options.onClose?.();
  };
  return { ...errors, open, onOpenChange, close: () => onOpenChange(false) };
}

/**
 * What a TextField needs from react-hook-form for one field: `register`'s props and the
 * field's error message (nested names such as "limits.maxKeys" too).
 */
export function registerField<T extends FieldValues>(form: UseFormReturn<T>, name: Path<T>) {
  const error = get<typeof form.formState.errors, FieldError | undefined>(
    form.formState.errors,
    name,
  );
  return { ...form.register(name), error: error?.message };
}
