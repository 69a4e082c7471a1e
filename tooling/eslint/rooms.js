// The rooms of the monorepo and what each may import (ARCHITECTURE.md "Rooms"). Each
// package's eslint.config.js names its room; `importDirections` turns the table into
// `@typescript-eslint/no-restricted-imports` rules, so an import against the direction
// fails lint. A room always imports itself (its own subpaths, e.g. `@gatehouse/db/testing`
// in packages/db's tests).

/** @typedef {"core" | "db" | "litellm" | "idp" | "api" | "client" | "web" | "bench"} Room */

/**
 * @type {Record<Room, { pkg: string, imports: string[], typeOnly?: string[] }>}
 * `imports`: workspace packages the room may import; `typeOnly`: packages it may import
 * types from and nothing else (erased at build time, so no runtime dependency follows).
 */
export const ROOMS = {
  core: { pkg: "core", imports: [] },
  db: { pkg: "db", imports: ["core"] },
  litellm: { pkg: "litellm", imports: ["core"] },
  idp: { pkg: "identity-provider", imports: [] },
  api: { pkg: "api", imports: ["core", "db", "litellm", "identity-provider"] },
  client: { pkg: "client", imports: [], typeOnly: ["api"] },
  web: { pkg: "web", imports: ["core", "client"], typeOnly: ["api"] },
  bench: { pkg: "bench", imports: ["core", "db", "litellm", "identity-provider", "api"] },
};

// The shared configs (eslint, typescript, vitest, prettier) are build tooling, not code a
// room runs; any room may use them.
const TOOLING = ["eslint-config", "tsconfig", "vitest-config", "prettier-config"];

const any = (names) => names.join("|");

/**
 * @param {Room} room
 * @returns {import("eslint").Linter.RulesRecord}
 */
export function importDirections(room) {
  const { pkg, imports, typeOnly = [] } = ROOMS[room];
  const allowed = [pkg, ...imports, ...typeOnly, ...TOOLING];
  const message = (what) =>
    `${what} (the ${room} room imports ${imports.length ? imports.map((p) => `@gatehouse/${p}`).join(", ") : "no workspace package"}${typeOnly.length ? `, and types only from ${typeOnly.map((p) => `@gatehouse/${p}`).join(", ")}` : ""}; see ARCHITECTURE.md).`;
  return {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `^@gatehouse/(?!(${any(allowed)})(/|$))`,
            message: message("An import against the direction of the rooms"),
          },
          ...typeOnly.map((name) => ({
            regex: `^@gatehouse/${any([name])}(/|$)`,
            allowTypeImports: true,
            message: message(`Only types may come from @gatehouse/${name}`),
          })),
          {
            // Reaching into another package by path skips its exports and this table.
            regex: "^(\\.\\./)+(packages|apps|tooling)/",
            message: message("Import a workspace package by its name, not by a path"),
          },
        ],
      },
    ],
  };
}
