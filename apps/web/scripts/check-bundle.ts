/**
 * Fails the build when the JavaScript a first visit downloads exceeds the budget:
 * the entry chunk plus everything it imports statically (Vite lists those as
 * <link rel="modulepreload"> in index.html). Lazy routes and the merge dialog are not
 * counted: they load on demand. Sizes are gzip level 9, like a typical server.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const BUDGET_BYTES = 250 * 1024;
const dist = path.resolve(import.meta.dirname, "..", "dist");
const indexHtml = fs.readFileSync(path.join(dist, "index.html"), "utf8");

function attr(tag: string, name: string): string | null {
  return new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1] ?? null;
}

const tags = indexHtml.match(/<(script|link)\b[^>]*>/g) ?? [];
const js = new Set<string>();
const css = new Set<string>();
for (const tag of tags) {
  if (tag.startsWith("<script") && attr(tag, "type") === "module") {
    const src = attr(tag, "src");
    if (src) js.add(src);
  } else if (tag.startsWith("<link")) {
    const rel = attr(tag, "rel");
    const href = attr(tag, "href");
    if (!href) continue;
    if (rel === "modulepreload") js.add(href);
    if (rel === "stylesheet") css.add(href);
  }
}
if (js.size === 0) {
  console.error("check-bundle: no module script found in dist/index.html");
  process.exit(1);
}

const gzipSize = (file: string) =>
  zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

let total = 0;
const rows: string[] = [];
for (const file of js) {
  const size = gzipSize(file);
  total += size;
  rows.push(`  ${kb(size).padStart(10)}  ${file}`);
}
const cssTotal = [...css].reduce((sum, file) => sum + gzipSize(file), 0);
const lazy = fs
  .readdirSync(path.join(dist, "assets"))
  .filter((f) => f.endsWith(".js") && !js.has(`/assets/${f}`)).length;

console.log("Initial JavaScript (entry + static imports, gzip):");
console.log(rows.join("\n"));
console.log(
  `  ${kb(total).padStart(10)}  total of budget ${kb(BUDGET_BYTES)} (CSS ${kb(cssTotal)} gzip, ${lazy} lazy chunks not counted)`,
);
if (total > BUDGET_BYTES) {
  console.error(
    `check-bundle: initial JavaScript is ${kb(total)} gzip, over the ${kb(BUDGET_BYTES)} budget.`,
  );
  process.exit(1);
}
