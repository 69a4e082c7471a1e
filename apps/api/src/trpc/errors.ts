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
    typeof error.code === "string" &&
    /^P\d{4}$/.test((error as { code: string }).code)
  );
}

/**
 * Connection-level failures: the database is down, restarting or unreachable. pg reports
 * socket errors and SQLSTATEs (57P01 admin shutdown, 57P03 cannot connect now, 08xxx
 * connection exceptions); Prisma wraps the same events in its own codes (P1001 cannot
 * reach, P1002/P1008 timed out, P1017 server closed the connection, P2024 no connection
 * from the pool in time) and in driver-adapter error kinds.
 */
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
]);
const unavailableAdapterKinds = new Set([
  "ConnectionClosed",
  "DatabaseNotReachable",
  "SocketTimeout",
  "TooManyConnections",
]);

function isUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && unavailableCodes.has(code)) return true;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } }).meta;
  const kind = meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === "string" && unavailableAdapterKinds.has(kind)) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === "string" &&
    /Connection terminated|connect ECONNREFUSED|Can't reach database|timeout exceeded when trying to connect|Server has closed the connection|Query read timeout/i.test(
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
      return new DetailedTRPCError(
        "CONFLICT",
        "A record with these values already exists",
        undefined,
        error,
      );
    }
    if (error.code === "P2025") {
      return new DetailedTRPCError("NOT_FOUND", "Record not found", undefined, error);
    }
  }
  if (isUnavailable(error)) {
    return new DetailedTRPCError(
      "SERVICE_UNAVAILABLE",
      "The database is unavailable; try again",
      undefined,
      error,
    );
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal error", cause: error });
}
