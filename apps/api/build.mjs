#!/usr/bin/env node
/**
 * `pnpm build` for the API: bundles the server (main), the standalone worker and the CLI
 * into plain JavaScript in dist/, so production runs `node dist/main.js` with no
 * TypeScript toolchain loaded.
 *
 * - The workspace packages (@gatehouse/*, TypeScript sources, the Prisma client generated
 *   into packages/db/src/generated) are bundled in.
 * - Everything from node_modules stays an import: some packages load files relative to
 *   their own module (PGlite's .wasm/.data, Prisma's query compiler, argon2's native
 *   binding). Each must therefore be a dependency of this package, so Node resolves it
 *   from dist/; the build fails otherwise.
 * - `import.meta.dirname` in workspace sources (the migrations folder, the repository root)
 *   is rewritten relative to dist/, so those paths still point at the files in the
 *   checkout: dist/ runs in place, next to packages/db/prisma/migrations.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const apiRoot = import.meta.dirname;
// --outdir: tests build a copy elsewhere (it must stay under apps/api, so that Node still
// resolves the external packages from apps/api/node_modules).
const { values } = parseArgs({ options: { outdir: { type: "string" } } });
const outdir = path.resolve(values.outdir ?? path.join(apiRoot, "dist"));
const pkg = JSON.parse(fs.readFileSync(path.join(apiRoot, "package.json"), "utf8"));
const declared = new Set(Object.keys(pkg.dependencies ?? {}));

/** The package name of a bare import: `@scope/name/sub` -> `@scope/name`. */
const packageName = (spec) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

const externals = new Set();
const nodeModules = {
  name: "node-modules-external",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { external: true };
      if (args.path.startsWith("@gatehouse/")) return undefined; // bundled
      externals.add(packageName(args.path));
      return { path: args.path, external: true };
    });
  },
};

const dirnameRewrite = {
  name: "import-meta-dirname",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, "utf8");
      if (!source.includes("import.meta.dirname")) return undefined;
      const relative = path.relative(outdir, path.dirname(args.path)).split(path.sep).join("/");
      const contents =
        `import { join as __gatehouseJoin } from "node:path";\n` +
        source.replaceAll(
          "import.meta.dirname",
          `__gatehouseJoin(import.meta.dirname, ${JSON.stringify(relative)})`,
        );
      return { contents, loader: "ts" };
    });
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
await build({
  absWorkingDir: apiRoot,
  // Flat names: every output file lives in dist/ itself, which the dirname rewrite relies on.
  entryPoints: [
    { in: "src/main.ts", out: "main" },
    { in: "src/worker/main.ts", out: "worker" },
    { in: "src/cli/index.ts", out: "cli" },
  ],
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: "chunk-[hash]",
  format: "esm",
  platform: "node",
  target: "node20.19",
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [nodeModules, dirnameRewrite],
});

const undeclared = [...externals].filter((name) => !declared.has(name)).sort();
if (undeclared.length) {
  console.error(
    `build: ${undeclared.join(", ")} imported by the bundle but not dependencies of @gatehouse/api; ` +
      `add them (catalog:) so node can resolve them from dist/`,
  );
  process.exit(1);
}
console.log(
  `build: ${path.relative(apiRoot, outdir)}/{main,worker,cli}.js in ${Math.round(performance.now() - started)} ms`,
);
