/**
 * The one place where errors become tRPC errors. Domain errors keep their code and
 * message; Prisma/pg errors are translated or redacted (never shown raw); anything else
 * is an internal error whose details stay in the log under the request id.
 */
import { isDomainError, type DomainErrorCode } from "@gatehouse/core";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

const domainToTrpc: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** Details attached to a translated error, surfaced as `data.details`. */
export class DetailedTRPCError extends TRPCError {
  readonly details: Record<string, unknown> | undefined;
  constructor(
    code: TRPC_ERROR_CODE_KEY,
    message: string,
    details: Record<string, unknown> | undefined,
    cause: unknown,
  ) {
    super({ code, message, cause });
    this.details = details;
  }
}

interface PrismaLikeError {
  code: string;
  meta?: { target?: unknown; modelName?: string };
}

function isPrismaKnownError(error: unknown): error is PrismaLikeError {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    typeof (error as { code: unknown }).code === "string" &&
    /^P\d{4}$/.test((error as { code: string }).code)
  );
}

/** pg connection-level failures: the database is down or restarting. */
const unavailableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "57P01", "57P03", "08006", "08001"]);

function isUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && unavailableCodes.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === "string" &&
    /Connection terminated|connect ECONNREFUSED|Can't reach database|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}

/**
 * Translates a thrown value into a TRPCError, or returns null when it is already one
 * (zod input errors arrive as BAD_REQUEST TRPCErrors).
 */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (isDomainError(error)) {
    return new DetailedTRPCError(domainToTrpc[error.code], error.message, error.details, error);
  }
  if (isPrismaKnownError(error)) {
    if (error.code === "P2002") {
      return new DetailedTRPCError("CONFLICT", "A record with these values already exists", undefined, error);
    }
    if (error.code === "P2025") {
      return new DetailedTRPCError("NOT_FOUND", "Record not found", undefined, error);
    }
  }
  if (isUnavailable(error)) {
    return new DetailedTRPCError("SERVICE_UNAVAILABLE", "The database is unavailable; try again", undefined, error);
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal error", cause: error });
}
