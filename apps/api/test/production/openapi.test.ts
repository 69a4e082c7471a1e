/**
 * GET /openapi.json from a running server: a valid OpenAPI 3.1 document (checked with an
 * OpenAPI validator) that lists every procedure of the router with the HTTP method of its
 * type, its input schema (from its zod input) and the error envelope, and that describes
 * the wire truthfully (a call built from the document succeeds).
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import type { AnyTRPCProcedure } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../src/routers/index.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { insertServiceToken } from "../support/fixtures.ts";

interface Operation {
  operationId: string;
  parameters?: Array<{
    name: string;
    in: string;
    required: boolean;
    content: { "application/json": { schema: Schema } };
  }>;
  requestBody?: { required: boolean; content: { "application/json": { schema: Schema } } };
  responses: Record<string, { content?: { "application/json": { schema: Schema } } }>;
}
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  allOf?: Schema[];
  format?: string;
  items?: Schema;
}
interface Document {
  openapi: string;
  paths: Record<string, { get?: Operation; post?: Operation }>;
  components: { schemas: Record<string, Schema> };
}

let h: Harness;
let doc: Document;
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;

beforeAll(async () => {
  h = await startHarness();
  const res = await fetch(`${h.url}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  doc = (await res.json()) as Document;
});
afterAll(() => h?.close());

/** The properties a schema accepts, through allOf. */
function propertiesOf(schema: Schema): string[] {
  return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap(propertiesOf)];
}

describe("/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(
      structuredClone(doc) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every procedure, queries as GET and mutations as POST", () => {
    const names = Object.keys(procedures);
    expect(names.length).toBeGreaterThan(20);
    const listed = Object.keys(doc.paths).map((p) => p.replace(/^\/trpc\//, ""));
    expect(listed.sort()).toEqual([...names].sort());
    for (const [name, procedure] of Object.entries(procedures)) {
      const item = doc.paths[`/trpc/${name}`]!;
      const type = procedure._def.type;
      expect(item, name).toEqual(
        type === "query" ? { get: expect.any(Object) } : { post: expect.any(Object) },
      );
    }
  });

  it("gives each procedure with an input its input schema, and every one the envelopes", () => {
    for (const [name, procedure] of Object.entries(procedures)) {
      const { type, inputs } = procedure._def as unknown as { type: string; inputs: unknown[] };
      const operation = (
        type === "query" ? doc.paths[`/trpc/${name}`]!.get : doc.paths[`/trpc/${name}`]!.post
      )!;
      const schema =
        type === "query"
          ? operation.parameters?.find((p) => p.name === "input" && p.in === "query")?.content[
              "application/json"
            ].schema
          : operation.requestBody?.content["application/json"].schema;
      if (inputs.length === 0) {
        expect(schema, `${name} takes no input`).toBeUndefined();
      } else {
        expect(schema, `${name} input`).toBeDefined();
        expect(
          propertiesOf(schema!).length + (schema!.type === "object" ? 0 : 1),
          `${name} input fields`,
        ).toBeGreaterThan(0);
      }
      const success = operation.responses["200"]!.content!["application/json"].schema;
      expect(success.required, name).toEqual(["result"]);
      expect(operation.responses.default!.content!["application/json"].schema.$ref).toBe(
        "#/components/schemas/ErrorEnvelope",
      );
    }
    // A procedure behind orgAdminProcedure: the base's organizationId and its own fields.
    const orgScoped = Object.entries(procedures).find(
      ([, p]) => (p._def as unknown as { inputs: unknown[] }).inputs.length > 1,
    );
    if (orgScoped) {
      const [name] = orgScoped;
      const op = doc.paths[`/trpc/${name}`]!.get ?? doc.paths[`/trpc/${name}`]!.post!;
      const schema =
        op.parameters?.[0]?.content["application/json"].schema ??
        op.requestBody!.content["application/json"].schema;
      expect(propertiesOf(schema)).toContain("organizationId");
    }
  });

  it("describes the wire as served: dates as strings, the error envelope's fields", async () => {
    const me = doc.paths["/trpc/auth.me"]!.get!;
    expect(me.parameters).toBeUndefined();
    const list = doc.paths["/trpc/teams.list"]!.get!;
    const data =
      list.responses["200"]!.content!["application/json"].schema.properties!.result!.properties!
        .data!;
    const item = data.properties!.items!.items!;
    expect(item.properties!.createdAt).toMatchObject({ type: "string", format: "date-time" });
    const envelope = doc.components.schemas.ErrorEnvelope!.properties!.error!.properties!.data!;
    expect(Object.keys(envelope.properties!)).toEqual(
      expect.arrayContaining(["code", "httpStatus", "path", "requestId", "fieldErrors"]),
    );

    // Built from the document alone: GET with ?input=<JSON>, bearer token, { result: { data } }.
    const bearer = await insertServiceToken(h.db, { admin: true });
    const input = encodeURIComponent(JSON.stringify({ pageSize: 5 }));
    const res = await fetch(`${h.url}/trpc/teams.list?input=${input}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: Record<string, unknown> } };
    for (const field of data.required ?? []) expect(body.result.data, field).toHaveProperty(field);
    const bad = await fetch(
      `${h.url}/trpc/teams.list?input=${encodeURIComponent(JSON.stringify({ pageSize: -1 }))}`,
      {
        headers: { authorization: `Bearer ${bearer}` },
      },
    );
    const error = (await bad.json()) as { error: { data: Record<string, unknown> } };
    for (const field of envelope.required ?? [])
      expect(error.error.data, field).toHaveProperty(field);
  });
});
