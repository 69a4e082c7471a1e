/**
 * One configuration list: `.env.example` at the repository root names every
 * environment variable the project reads, with its default. This keeps it honest against
 * the README's variable tables, the API's validated schema (src/config.ts) and the code's
 * actual `process.env` reads, so a new variable cannot ship undocumented. No database.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvSchema, loadConfig } from "../../src/config.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../../..");
const envExample = fs.readFileSync(path.join(repoRoot, ".env.example"), "utf8");
const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");

/** `NAME=value` lines, active or commented out (`# NAME=value`: unset by default). */
function exampleEntries(): { name: string; value: string; active: boolean }[] {
  return envExample.split("\n").flatMap((line) => {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    return match ? [{ name: match[2]!, value: match[3]!, active: match[1] === undefined }] : [];
  });
}

/**
 * Rows of the README's tables whose first header cell starts with "variable": the names of
 * the first cell, each with the default cell of its row.
 */
function readmeRows(): { name: string; defaultCell: string }[] {
  const rows: { name: string; defaultCell: string }[] = [];
  let inTable = false;
  for (const line of readme.split("\n")) {
    if (/^\|\s*variable\b/.test(line)) inTable = true;
    else if (!line.startsWith("|")) inTable = false;
    else if (inTable) {
      const [, firstCell = "", defaultCell = ""] = line.split("|");
      for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g))
        rows.push({ name: m[1]!, defaultCell });
    }
  }
  return rows;
}

function readmeVariables(): string[] {
  return readmeRows().map((row) => row.name);
}

const SOURCE_DIRS = ["apps", "packages", "scripts", "tooling"];
const SKIP_DIRS = new Set([
  "node_modules",
  "dist",
  "generated",
  ".data",
  ".turbo",
  "test-results",
  "playwright-report",
]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

// Not this file (its comments spell the patterns it looks for), nor the SPA's sources: they
// run in a browser, where there is no process.env. apps/api/turbo.json lists what is scanned
// outside this package as the test's inputs, so a cached result cannot hide a new read.
const BROWSER_SOURCES = path.join(repoRoot, "apps", "web", "src") + path.sep;
const sources = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(repoRoot, dir)))
  .filter((file) => file !== import.meta.filename && !file.startsWith(BROWSER_SOURCES))
  .map((file) => ({
    file: path.relative(repoRoot, file),
    text: fs.readFileSync(file, "utf8"),
  }));

/**
 * Every `process.env.NAME` / `env.NAME` / `process.env["NAME"]` in the code (upper case:
 * lower-case ones such as npm_execpath are set by the tools that start us, not by anyone).
 */
function variablesReadInCode(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { file, text } of sources) {
    for (const match of text.matchAll(
      /\benv(?:\.([A-Z_][A-Z0-9_]*)|\[["']([A-Z_][A-Z0-9_]*)["']\])/g,
    )) {
      const name = match[1] ?? match[2]!;
      if (!found.has(name)) found.set(name, file);
    }
  }
  return found;
}

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe("one configuration list", () => {
  const example = exampleEntries();
  const exampleNames = sorted(example.map((entry) => entry.name));

  it(".env.example names each variable once, each with a comment line above it", () => {
    expect(example.length).toBe(exampleNames.length);
    const lines = envExample.split("\n");
    const undocumented = lines.flatMap((line, index) =>
      /^(#\s*)?[A-Z][A-Z0-9_]*=/.test(line.trim()) && !(lines[index - 1] ?? "").startsWith("#")
        ? [line]
        : [],
    );
    expect(undocumented).toEqual([]);
  });

  it("the README's variable tables list exactly the variables of .env.example", () => {
    expect(sorted(readmeVariables())).toEqual(exampleNames);
  });

  it("the README states the default .env.example sets for each active variable", () => {
    // A cell may say more ("off (on for the embedded database)", "4173, warn" for a row of
    // two variables); the default must be one of its words.
    const cells = new Map<string, string[]>();
    for (const row of readmeRows()) {
      cells.set(row.name, [...(cells.get(row.name) ?? []), row.defaultCell]);
    }
    const disagreeing = example
      .filter((entry) => entry.active)
      .filter((entry) => {
        const texts = (cells.get(entry.name) ?? []).map((cell) => cell.replace(/`/g, "").trim());
        const words = texts.flatMap((text) => text.split(/[\s,()]+/));
        // A default with spaces (GATEHOUSE_MAIL_FROM's "Name <address>") is the whole cell.
        return !words.includes(entry.value) && !texts.includes(entry.value);
      })
      .map(
        (entry) =>
          `${entry.name}=${entry.value} (README: ${cells.get(entry.name)?.join(" / ").trim()})`,
      );
    expect(disagreeing).toEqual([]);
  });

  it("every key of the API's configuration schema is in .env.example", () => {
    const missing = Object.keys(EnvSchema.shape).filter((key) => !exampleNames.includes(key));
    expect(missing).toEqual([]);
  });

  it("every environment variable the code reads is in .env.example", () => {
    const missing = [...variablesReadInCode()].filter(([name]) => !exampleNames.includes(name));
    expect(missing.map(([name, file]) => `${name} (${file})`)).toEqual([]);
  });

  it("every variable of .env.example is read somewhere (no stale entries)", () => {
    const read = variablesReadInCode();
    const schemaKeys = Object.keys(EnvSchema.shape);
    const stale = exampleNames.filter((name) => !read.has(name) && !schemaKeys.includes(name));
    expect(stale).toEqual([]);
  });

  it("the defaults .env.example shows are the API's defaults", () => {
    // Sourcing the file unchanged must configure exactly what an empty environment does.
    const active = Object.fromEntries(
      example.filter((entry) => entry.active).map((entry) => [entry.name, entry.value]),
    );
    const withDefaults = loadConfig(active);
    const bare = loadConfig({});
    expect({ ...withDefaults, secretsKey: null }).toEqual({ ...bare, secretsKey: null });
    // A commented-out API variable must really be unset by default (no value the schema fills in).
    const commentedApiKeys = example.filter(
      (entry) => !entry.active && entry.name in EnvSchema.shape,
    );
    const parsedEmpty = EnvSchema.parse({}) as Record<string, unknown>;
    expect(
      commentedApiKeys
        .filter((entry) => parsedEmpty[entry.name] !== undefined)
        .map((entry) => entry.name),
    ).toEqual([]);
  });
});
