/**
 * Reads what the API puts on an error (see apps/api/src/trpc/init.ts: code, httpStatus,
 * requestId, fieldErrors, details) without trusting its shape: a proxy or a network failure
 * can produce anything.
 */
import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";

export interface ErrorInfo {
  message: string;
  code: string | null;
  httpStatus: number | null;
  requestId: string | null;
  fieldErrors: Record<string, string[]> | null;
  details: Record<string, unknown> | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function errorInfo(error: unknown): ErrorInfo {
  const info: ErrorInfo = {
    message: "Something went wrong",
    code: null,
    httpStatus: null,
    requestId: null,
    fieldErrors: null,
    details: null,
  };
  if (error instanceof Error) info.message = error.message;
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    if (isRecord(data)) {
      if (typeof data.code === "string") info.code = data.code;
      if (typeof data.httpStatus === "number") info.httpStatus = data.httpStatus;
      if (typeof data.requestId === "string") info.requestId = data.requestId;
      if (isRecord(data.fieldErrors))
        info.fieldErrors = data.fieldErrors as Record<string, string[]>;
      if (isRecord(data.details)) info.details = data.details;
    }
    // A failed fetch (API down) has no data: say so plainly instead of "Failed to fetch".
    if (data === undefined && /fetch|network/i.test(error.message)) {
      info.message = "Cannot reach the Gatehouse API. Check your connection and try again.";
    }
  }
  return info;
}

export function isForbidden(error: unknown): boolean {
  return errorInfo(error).httpStatus === 403;
}

/** One line for a toast: the message plus the request id support will ask for. */
export function errorSummary(error: unknown): { title: string; description?: string } {
  const info = errorInfo(error);
  return {
    title: info.message,
    ...(info.requestId ? { description: `Request ID: ${info.requestId}` } : {}),
  };
}

/** A failed action outside a form (a row's button, a confirm dialog): one toast. */
export function toastError(error: unknown): void {
  const { title, description } = errorSummary(error);
  toast.error(title, description ? { description } : undefined);
}
