import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.ts";

describe("keyset cursor", () => {
  it("round-trips", () => {
    const cursor = {
      sortBy: "createdAt",
      sortOrder: "desc" as const,
      value: "2026-01-01T00:00:00.000Z",
      id: "0f8e4b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
    };
    expect(decodeCursor(encodeCursor(cursor), cursor)).toEqual(cursor);
  });

  it.each([
    ["garbage", "%%%"],
    ["not JSON", Buffer.from("nope").toString("base64url")],
    ["wrong shape", Buffer.from(JSON.stringify({ a: 1 })).toString("base64url")],
    ["wrong arity", Buffer.from(JSON.stringify(["createdAt", "desc", "v"])).toString("base64url")],
    [
      "non-string parts",
      Buffer.from(JSON.stringify(["createdAt", "desc", 1, 2])).toString("base64url"),
    ],
  ])("refuses %s", (_name, raw) => {
    expect(() => decodeCursor(raw, { sortBy: "createdAt", sortOrder: "desc" })).toThrow(
      /Invalid cursor/,
    );
  });

  it.each([
    ["a non-uuid id", ["createdAt", "desc", "2026-01-01T00:00:00.000Z", "x'; drop"]],
    [
      "a non-date value",
      ["createdAt", "desc", "yesterday", "0f8e4b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"],
    ],
    [
      "an impossible date",
      ["createdAt", "desc", "2026-13-45T00:00:00.000Z", "0f8e4b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"],
    ],
    [
      "a date in year 0000",
      ["createdAt", "desc", "0000-01-01T00:00:00.000Z", "0f8e4b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"],
    ],
    [
      "a date before 1970",
      ["createdAt", "desc", "1500-06-01T00:00:00.000Z", "0f8e4b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"],
    ],
  ])("refuses a well-formed cursor with %s inside", (_name, parts) => {
    const raw = Buffer.from(JSON.stringify(parts)).toString("base64url");
    expect(() => decodeCursor(raw, { sortBy: "createdAt", sortOrder: "desc" })).toThrow(
      /Invalid cursor/,
    );
  });

  it("refuses a cursor made for another sort", () => {
    const raw = encodeCursor({
      sortBy: "name",
      sortOrder: "asc",
      value: "a",
      id: "0f8e4b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
    });
    expect(() => decodeCursor(raw, { sortBy: "createdAt", sortOrder: "desc" })).toThrow(
      /another sort/,
    );
  });
});
