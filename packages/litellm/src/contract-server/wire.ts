/**
 * How LiteLLM shapes its answers on the wire, so the contract server fails exactly the way
 * the real proxy does and the client's error classification is tested against real shapes.
 *
 * Verified in BerriAI/litellm source (litellm/proxy/_types.py, proxy/utils.py, proxy_server.py):
 * - `ProxyException` is rendered as `{"error": {"message", "type", "param", "code"}}` with the
 *   HTTP status taken from `code`, and `code` is a string ("400").
 * - `handle_exception_on_proxy` turns `HTTPException(detail={"error": "x"})` into a
 *   ProxyException whose message is `str(detail)`, i.e. the Python repr `{'error': 'x'}`,
 *   type `internal_server_error`, param `"None"`; /key/update does the same but with type
 *   `auth_error`.
 * - an `HTTPException` that escapes the handlers is FastAPI's `{"detail": ...}`.
 * Assumed (FastAPI + pydantic v2 defaults, not LiteLLM-specific): request validation failures
 * are `422 {"detail": [{"type", "loc", "msg", "input"}]}` with pydantic's wording.
 */
import type { z } from "zod";

export interface WireResponse {
  status: number;
  body: unknown;
  /** Send `body` (a string) as text/plain instead of JSON: Starlette's crash answer. */
  plainText?: boolean;
}

export type ProxyErrorType =
  | "auth_error"
  | "internal_server_error"
  | "bad_request_error"
  | "not_found_error"
  | "team_member_already_in_team"
  | "token_not_found_in_db"
  | "team_model_access_denied"
  | "expired_key"
  | "budget_exceeded";

/** A LiteLLM `ProxyException` answer. */
export function proxyError(
  status: number,
  message: string,
  type: ProxyErrorType,
  param: string = "None",
): WireResponse {
  return { status, body: { error: { message, type, param, code: String(status) } } };
}

/** Python's repr of `{"error": message}`, as LiteLLM leaks it into messages. */
function pyErrorDict(message: string): string {
  return pyDict("error", message);
}

/** Python's repr of a one-entry dict `{key: message}` (string values). */
export function pyDict(key: string, message: string): string {
  const quoted =
    message.includes("'") && !message.includes('"')
      ? `"${message}"`
      : `'${message.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return `{'${key}': ${quoted}}`;
}

/** `HTTPException(status, detail={"error": message})` passed through `handle_exception_on_proxy`. */
export function wrappedHttpException(
  status: number,
  message: string,
  type: ProxyErrorType = "internal_server_error",
): WireResponse {
  return proxyError(status, pyErrorDict(message), type);
}

/**
 * An exception no handler caught (a plain `Exception`, a `ValueError`): Starlette's
 * ServerErrorMiddleware answers `500 Internal Server Error` as text/plain, with no detail.
 */
export function uncaughtException(): WireResponse {
  return { status: 500, body: "Internal Server Error", plainText: true };
}

/** An HTTPException FastAPI renders itself. */
export function fastapiDetail(status: number, detail: unknown): WireResponse {
  return { status, body: { detail } };
}

interface PydanticIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export function validationError(issues: PydanticIssue[]): WireResponse {
  return fastapiDetail(422, issues);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Translates zod issues into pydantic's vocabulary (type, msg) at FastAPI's `loc`. */
function toPydanticIssues(error: z.ZodError, input: unknown): PydanticIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const loc: (string | number)[] = ["body", ...path];
    const value = valueAt(input, issue.path);
    if (issue.code === "invalid_type") {
      if (value === undefined) return { type: "missing", loc, msg: "Field required", input };
      switch (issue.expected) {
        case "string":
          return { type: "string_type", loc, msg: "Input should be a valid string", input: value };
        case "array":
          return { type: "list_type", loc, msg: "Input should be a valid list", input: value };
        case "object":
        case "record":
          return {
            type: "dict_type",
            loc,
            msg: "Input should be a valid dictionary",
            input: value,
          };
        default:
          return { type: `${issue.expected}_type`, loc, msg: issue.message, input: value };
      }
    }
    if (issue.code === "invalid_value") {
      const expected = issue.values.map((v) => `'${String(v)}'`).join(" or ");
      return {
        type: "literal_error",
        loc,
        msg: `Input should be ${expected}`,
        input: value,
        ctx: { expected },
      };
    }
    if (issue.code === "custom") {
      return { type: "value_error", loc, msg: `Value error, ${issue.message}`, input: value };
    }
    return { type: "value_error", loc, msg: issue.message, input: value };
  });
}

/** Parses a JSON body against a schema, or answers like FastAPI would. */
export function parseBody<T>(
  schema: z.ZodType<T>,
  input: unknown,
): { ok: true; value: T } | { ok: false; response: WireResponse } {
  if (input === undefined) {
    return {
      ok: false,
      response: validationError([
        { type: "missing", loc: ["body"], msg: "Field required", input: null },
      ]),
    };
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return {
      ok: false,
      response: validationError([
        {
          type: "model_attributes_type",
          loc: ["body"],
          msg: "Input should be a valid dictionary or object to extract fields from",
          input,
        },
      ]),
    };
  }
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, response: validationError(toPydanticIssues(result.error, input)) };
}

export function jsonDecodeError(): WireResponse {
  return validationError([
    {
      type: "json_invalid",
      loc: ["body", 0],
      msg: "JSON decode error",
      input: {},
      ctx: { error: "Expecting value" },
    },
  ]);
}
