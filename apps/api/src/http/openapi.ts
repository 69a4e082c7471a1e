/**
 * GET /openapi.json: an OpenAPI 3.1 description of the tRPC wire exactly as it is served
 * (no transformer, no adapter in between), so a service in another language can generate a
 * client. Every procedure of the router is listed, with its request and response schemas
 * converted from its zod schemas (zod 4's `z.toJSONSchema`):
 * - a query is `GET /trpc/<name>?input=<JSON>` (the input parameter is JSON, URL-encoded);
 * - a mutation is `POST /trpc/<name>` with the input as the JSON body;
 * - success is `{ "result": { "data": <output> } }`; failure is the error envelope of
 *   trpc/init.ts's errorFormatter, with the HTTP status of the error code.
 * Batching (`?batch=1`, comma-separated names) is the same wire, described in words only.
 */
import type { AnyTRPCProcedure, AnyTRPCRouter } from "@trpc/server";
import { z } from "zod";

type JsonSchema = Record<string, unknown>;

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: z.ZodType[];
  output?: z.ZodType;
}

/** Dates travel as ISO strings (plain JSON.stringify on the way out). */
function convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    // Transforms, custom types and the like become "anything" rather than a failure.
    unrepresentable: "any",
    override(ctx) {
      if (ctx.zodSchema._zod.def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/**
 * tRPC merges chained `.input()` objects (a base procedure's `{ organizationId }` plus the
 * procedure's own): the wire takes one object with the fields of all of them.
 */
function mergeInputs(schemas: JsonSchema[]): JsonSchema | null {
  if (schemas.length === 0) return null;
  if (schemas.length === 1) return schemas[0]!;
  if (schemas.every((s) => s.type === "object" && !s.$defs)) {
    const properties: Record<string, unknown> = {};
    const required = new Set<string>();
    for (const s of schemas) {
      Object.assign(properties, s.properties as Record<string, unknown> | undefined);
      for (const name of (s.required as string[] | undefined) ?? []) required.add(name);
    }
    return { type: "object", properties, required: [...required] };
  }
  return { allOf: schemas };
}

const errorEnvelope: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["message", "code", "data"],
      properties: {
        message: { type: "string" },
        code: { type: "integer", description: "JSON-RPC error number (e.g. -32600)" },
        data: {
          type: "object",
          required: ["code", "httpStatus", "requestId"],
          properties: {
            code: {
              type: "string",
              description: "tRPC error code",
              examples: [
                "BAD_REQUEST",
                "UNAUTHORIZED",
                "FORBIDDEN",
                "NOT_FOUND",
                "CONFLICT",
                "TOO_MANY_REQUESTS",
              ],
            },
            httpStatus: { type: "integer" },
            path: {
              type: ["string", "null"],
              description: "The procedure, when the error is one procedure's",
            },
            requestId: {
              type: ["string", "null"],
              description: "Also in the X-Request-Id header; quote it in reports",
            },
            fieldErrors: {
              type: ["object", "null"],
              additionalProperties: { type: "array", items: { type: "string" } },
              description: "For BAD_REQUEST: messages by field path (`_` is the input as a whole)",
            },
            details: { type: ["object", "null"], additionalProperties: true },
          },
        },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
});

/** A camelCase operation id from a dotted procedure path: `teams.list` -> `teamsList`. */
function operationId(path: string): string {
  return path.replace(/[._-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function openApiDocument(
  router: AnyTRPCRouter,
  options: { version?: string } = {},
): JsonSchema {
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
  const paths: Record<string, unknown> = {};
  for (const [name, procedure] of Object.entries(procedures).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const def = procedure._def as unknown as ProcedureDef;
    if (def.type === "subscription") continue;
    const input = mergeInputs(def.inputs.map((schema) => convert(schema, "input")));
    const output = def.output ? convert(def.output, "output") : {};
    const operation: Record<string, unknown> = {
      operationId: operationId(name),
      tags: [name.split(".")[0]],
      summary: `${name} (${def.type})`,
      responses: {
        "200": {
          description: "Success",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["result"],
                properties: {
                  result: { type: "object", required: ["data"], properties: { data: output } },
                },
              },
            },
          },
        },
        "400": errorResponse("Bad input (`fieldErrors` names the fields)"),
        "401": errorResponse("No valid session or service token"),
        "403": errorResponse("Not allowed for this caller"),
        default: errorResponse("Any other error, with the HTTP status of its code"),
      },
    };
    if (def.type === "query") {
      if (input) {
        operation.parameters = [
          {
            name: "input",
            in: "query",
            required: Array.isArray(input.required) && input.required.length > 0,
            description: "The input as JSON, URL-encoded",
            content: { "application/json": { schema: input } },
          },
        ];
      }
      paths[`/trpc/${name}`] = { get: operation };
    } else {
      if (input) {
        operation.requestBody = {
          required: true,
          content: { "application/json": { schema: input } },
        };
      }
      paths[`/trpc/${name}`] = { post: operation };
    }
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Gatehouse API",
      version: options.version ?? "0.0.0",
      description: [
        "The tRPC HTTP wire of Gatehouse, with no data transformer: plain JSON, dates as ISO strings.",
        "Queries are `GET /trpc/<procedure>?input=<URL-encoded JSON>`, mutations `POST /trpc/<procedure>` with a JSON body.",
        'Several calls may be batched: `/trpc/a,b?batch=1&input={"0":...,"1":...}` answers a JSON array (at most 20 calls).',
        "Authenticate with a service token (`Authorization: Bearer ghst_...`) or a session cookie; cookie-authenticated",
        "mutations must come from the same origin or carry the `x-gatehouse-csrf` header.",
      ].join("\n"),
    },
    servers: [{ url: "/" }],
    security: [{ serviceToken: [] }, { sessionCookie: [] }, {}],
    paths,
    components: {
      schemas: { ErrorEnvelope: errorEnvelope },
      securitySchemes: {
        serviceToken: {
          type: "http",
          scheme: "bearer",
          description: "A service token, `ghst_...`",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "gh_session",
          description: "`__Host-gh_session` on HTTPS hosts; set by auth.login",
        },
      },
    },
  };
}
