/**
 * Inputs for the bad-input property test, derived from the procedures themselves: every
 * procedure's zod input schemas (tRPC keeps them in `_def.inputs`) are turned into JSON
 * Schema with zod 4's `z.toJSONSchema`, and that small, stable description drives
 * fast-check: a "valid-ish" input (right shape, ids of real fixture rows half the time,
 * hostile but well-typed strings), then one mutation that makes it wrong in a known way.
 * A procedure added later is fuzzed without editing this file.
 */
import fc from "fast-check";
import { z } from "zod";

/** The subset of JSON Schema that z.toJSONSchema emits for Gatehouse's inputs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  default?: unknown;
}

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation";
  /** The zod schemas tRPC parses the raw input with, in order. */
  parsers: z.ZodType[];
  /** Their merged JSON Schema, or null for a procedure that takes no input. */
  schema: JsonSchema | null;
}

interface RawProcedure {
  _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] };
}

/**
 * Every procedure of a router. At runtime tRPC keeps a flat map keyed by dotted path,
 * although the router's type describes the nested record, hence the cast.
 */
export function describeProcedures(router: { _def: { procedures: object } }): ProcedureInfo[] {
  const flat = router._def.procedures as Record<string, RawProcedure>;
  return Object.entries(flat).flatMap(([path, procedure]): ProcedureInfo[] => {
    const { type, inputs } = procedure._def;
    if (type === "subscription") return [];
    const parsers = inputs.filter((i): i is z.ZodType => i instanceof z.ZodType);
    if (parsers.length !== inputs.length)
      throw new Error(`${path}: an input parser is not a zod schema`);
    const schemas = parsers.map(
      (p) => z.toJSONSchema(p, { io: "input", unrepresentable: "any" }) as unknown as JsonSchema,
    );
    return [{ path, type, parsers, schema: schemas.length ? mergeSchemas(schemas) : null }];
  });
}

/**
 * tRPC applies each `.input()` parser to the same raw input and merges the results, so an
 * orgAdmin procedure's `{ organizationId }` and its own strict object describe one object.
 */
function mergeSchemas(schemas: JsonSchema[]): JsonSchema {
  if (schemas.length === 1) return schemas[0]!;
  const merged: JsonSchema = { type: "object", properties: {}, required: [] };
  for (const s of schemas) {
    Object.assign(merged.properties!, s.properties ?? {});
    merged.required = [...new Set([...merged.required!, ...(s.required ?? [])])];
    if (s.additionalProperties === false) merged.additionalProperties = false;
  }
  return merged;
}

/** What tRPC would do with the raw input: true when every parser accepts it. */
export function acceptsInput(procedure: ProcedureInfo, raw: unknown): boolean {
  return procedure.parsers.every((p) => p.safeParse(raw).success);
}

/** Ids and values of real rows, so generated inputs reach past "not found". */
export interface FixtureValues {
  ids: string[];
  emails: string[];
}

/* ------------------------------------------------------------------------------------------
 * Hostile values
 * ----------------------------------------------------------------------------------------*/

export const HUGE_STRING = "x".repeat(100_000);

/** Strings that are well-typed (a string) but hostile in content. */
export const hostileStrings: readonly string[] = [
  "' OR 1=1 --",
  "'; DROP TABLE teams; --",
  '" OR ""="',
  "1; SELECT pg_sleep(10)",
  "%' AND 1=1 AND '%'='",
  "\\",
  "_%",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "{{7*7}}${7*7}",
  "${jndi:ldap://127.0.0.1/a}",
  "../../../../etc/passwd",
  "\u202Eevil\u202C.exe",
  "שלום עולם",
  "مرحبا",
  "👩‍👩‍👧‍👦🔥🏳️‍🌈",
  "e\u0301\u0301\u0301",
  "\u200B\u200C\u200D\uFEFF",
  "a\u0000b",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "   ",
  "\t\n\r",
  "",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-0",
  "0x10",
  "true",
  "[]",
  "{}",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "00000000-0000-0000-0000-00000000000g",
  "2024-02-30T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "0000-01-01T00:00:00Z",
  HUGE_STRING,
  "é".repeat(60_000),
];

/** JSON values of every type, edge numbers first. NaN and Infinity serialize as null. */
export const hostileValues: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  -1e308,
  1e308,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_VALUE,
  1e21,
  [],
  [null],
  ["a", 1],
  {},
  { $ne: null },
  { $gt: "" },
  // An own "__proto__" property (an object literal would set the prototype instead).
  JSON.parse('{"__proto__":{"isSystemAdmin":true}}') as unknown,
  ...hostileStrings,
];

/** Field names a caller might add to sneak something past a handler. */
const extraFieldNames: readonly string[] = [
  "isSystemAdmin",
  "role",
  "id",
  "userId",
  "organizationId",
  "createdAt",
  "passwordHash",
  "__proto__",
  "constructor",
  "prototype",
  "",
  "a.b",
  "__fuzz_extra",
];

const base64url = (text: string): string => Buffer.from(text, "utf8").toString("base64url");

/**
 * Cursors: random text, base64 of junk, and well-formed cursors (the right sort, so they
 * pass the sort check) whose value and id are junk, which reach the SQL that uses them.
 */
export const cursorArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constantFrom(...hostileStrings.filter((s) => s.length > 0 && s.length <= 1000)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => base64url(JSON.stringify(v))),
  fc
    .tuple(
      fc.constantFrom("createdAt", "name", "id", "nope"),
      fc.constantFrom("desc", "asc", "sideways"),
      fc.oneof(
        fc.constantFrom(
          "not a date",
          "2024-02-30T00:00:00Z",
          "' OR 1=1 --",
          "",
          "\u0000",
          "1e309",
          "-infinity",
          "294277-01-01T00:00:00Z",
        ),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string({ maxLength: 20 }),
      ),
      fc.oneof(
        fc.constantFrom("x", "", "' OR 1=1 --", "00000000-0000-0000-0000-000000000000"),
        fc.uuid(),
        fc.string({ maxLength: 12 }),
      ),
    )
    .map((parts) => base64url(JSON.stringify(parts))),
);

/* ------------------------------------------------------------------------------------------
 * Valid-ish values from a schema
 * ----------------------------------------------------------------------------------------*/

function fitLength(s: string, schema: JsonSchema): string | null {
  const max = schema.maxLength ?? Infinity;
  const min = schema.minLength ?? 0;
  const cut = s.length > max ? s.slice(0, max) : s;
  return cut.length >= min ? cut : null;
}

function stringArbitrary(
  schema: JsonSchema,
  key: string | null,
  fixtures: FixtureValues,
): fc.Arbitrary<string> {
  if (key === "cursor") return cursorArbitrary;
  switch (schema.format) {
    case "uuid":
      return fc.oneof(fc.constantFrom(...fixtures.ids), fc.uuid({ version: 4 }));
    case "email":
      return fc.oneof(
        fc.constantFrom(...fixtures.emails),
        fc
          .tuple(
            fc.stringMatching(/^[a-z0-9]{1,12}$/),
            fc.constantFrom("example.com", "fuzz.example.org"),
          )
          .map(([l, d]) => `${l}@${d}`),
      );
    case "uri":
      return fc.constantFrom(
        "http://127.0.0.1:1",
        "https://litellm.example.com/v1/",
        "http://[::1]:4000",
      );
    case "date-time":
      return fc
        .date({
          min: new Date("1970-01-01T00:00:00Z"),
          max: new Date("2200-01-01T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
  }
  const generic = schema.pattern
    ? fc.stringMatching(new RegExp(schema.pattern))
    : fc.oneof(
        { weight: 3, arbitrary: fc.string({ maxLength: Math.min(schema.maxLength ?? 50, 50) }) },
        { weight: 2, arbitrary: fc.constantFrom(...hostileStrings) },
        { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
      );
  return generic
    .map((s) => fitLength(s, schema) ?? "fuzz")
    .filter((s) => s.length >= (schema.minLength ?? 0));
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -1e6, -Number.MAX_SAFE_INTEGER);
  const max = Math.min(schema.maximum ?? 1e6, Number.MAX_SAFE_INTEGER);
  const edges = fc.constantFrom(min, max, Math.min(max, Math.max(min, 1)));
  const range = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true });
  return fc.oneof(range, edges);
}

/** A value the schema describes (modulo refinements such as "source differs from target"). */
export function validArbitrary(
  schema: JsonSchema,
  fixtures: FixtureValues,
  key: string | null = null,
): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => validArbitrary(s, fixtures, key)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(properties);
      const model: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(
        entries.map(([name, s]) => [name, validArbitrary(s, fixtures, name)]),
      );
      return fc.record(model, {
        requiredKeys: entries.map(([name]) => name).filter((n) => required.has(n)),
      });
    }
    case "string":
      return stringArbitrary(schema, key, fixtures);
    case "integer":
      return numberArbitrary(schema, true);
    case "number":
      return numberArbitrary(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(schema.items ? validArbitrary(schema.items, fixtures) : fc.jsonValue(), {
        maxLength: 3,
      });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/* ------------------------------------------------------------------------------------------
 * Mutations
 * ----------------------------------------------------------------------------------------*/

export type Mutation =
  | { kind: "none" }
  | { kind: "replace"; field: string; value: unknown }
  | { kind: "drop"; field: string }
  | { kind: "extra"; field: string; value: unknown }
  | { kind: "whole"; value: unknown };

/** A hostile value, or any JSON value at all. */
export const badValueArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileValues) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.string({ unit: "binary" })) },
);

/** Top-level property names of a schema (every alternative of a union). */
function fieldsOf(schema: JsonSchema): string[] {
  const alternatives = schema.anyOf ?? schema.oneOf ?? [schema];
  return [...new Set(alternatives.flatMap((s) => Object.keys(s.properties ?? {})))];
}

export function mutationArbitrary(schema: JsonSchema | null): fc.Arbitrary<Mutation> {
  const fields = schema ? fieldsOf(schema) : [];
  const options: Array<fc.WeightedArbitrary<Mutation>> = [
    { weight: 1, arbitrary: fc.constant<Mutation>({ kind: "none" }) },
    {
      weight: 2,
      arbitrary: badValueArbitrary.map((value): Mutation => ({ kind: "whole", value })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom(...extraFieldNames), fc.string({ maxLength: 12 })),
          badValueArbitrary,
        )
        .map(([field, value]): Mutation => ({ kind: "extra", field, value })),
    },
  ];
  if (fields.length > 0) {
    options.push(
      {
        weight: 8,
        arbitrary: fc
          .tuple(fc.constantFrom(...fields), badValueArbitrary)
          .map(([field, value]): Mutation => ({ kind: "replace", field, value })),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(...fields).map((field): Mutation => ({ kind: "drop", field })),
      },
    );
  }
  return fc.oneof(...options);
}

export function applyMutation(input: unknown, mutation: Mutation): unknown {
  switch (mutation.kind) {
    case "none":
      return input;
    case "whole":
      return mutation.value;
    case "replace":
    case "extra":
    case "drop": {
      const base: Record<string, unknown> =
        typeof input === "object" && input !== null && !Array.isArray(input)
          ? { ...(input as Record<string, unknown>) }
          : {};
      if (mutation.kind === "drop") {
        delete base[mutation.field];
      } else {
        // defineProperty, so "__proto__" becomes an own (serialized) property.
        Object.defineProperty(base, mutation.field, {
          value: mutation.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return base;
    }
  }
}

/** What travels: JSON drops undefined and turns NaN/Infinity into null, as on the wire. */
export function wireForm(input: unknown): unknown {
  if (input === undefined) return undefined;
  return JSON.parse(JSON.stringify(input)) as unknown;
}
