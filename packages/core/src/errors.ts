/**
 * Typed domain errors. Core and db throw these; the API maps them to tRPC codes in
 * exactly one place (apps/api/src/trpc/errors.ts). Messages are safe to show to callers.
 */
export const domainErrorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "TOO_MANY_REQUESTS",
  "UNAVAILABLE",
] as const;

export type DomainErrorCode = (typeof domainErrorCodes)[number];

/** Structured, JSON-safe detail for the caller (e.g. the conflicting key names). */
export type DomainErrorDetails = Record<string, unknown>;

export class DomainError extends Error {
  override readonly name = "DomainError";
  readonly code: DomainErrorCode;
  readonly details: DomainErrorDetails | undefined;

  constructor(code: DomainErrorCode, message: string, details?: DomainErrorDetails) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string, details?: DomainErrorDetails) =>
  new DomainError("NOT_FOUND", `${what} not found`, details);

export const forbidden = (message = "You are not allowed to do this") =>
  new DomainError("FORBIDDEN", message);

export const badRequest = (message: string, details?: DomainErrorDetails) =>
  new DomainError("BAD_REQUEST", message, details);

export const conflict = (message: string, details?: DomainErrorDetails) =>
  new DomainError("CONFLICT", message, details);

export const preconditionFailed = (message: string, details?: DomainErrorDetails) =>
  new DomainError("PRECONDITION_FAILED", message, details);

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
