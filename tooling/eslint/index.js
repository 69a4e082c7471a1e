// Shared flat config: type-aware rules for every package. Each package calls
// `gatehouseConfig(import.meta.dirname)` so the project service finds its tsconfig.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { importDirections } from "./rooms.js";

export { ROOMS, importDirections } from "./rooms.js";

/**
 * @param {string} tsconfigRootDir
 * @param {{ room?: import("./rooms.js").Room }} [options] the package's room: its sources
 *   (src/) may import only what ARCHITECTURE.md's table allows that room.
 */
export function gatehouseConfig(tsconfigRootDir, options = {}) {
  const rooms = options.room
    ? [{ files: ["src/**/*.{ts,tsx}"], rules: importDirections(options.room) }]
    : [];
  return tseslint.config(
    { ignores: ["dist/**", "**/generated/**", "coverage/**", "*.config.*", "test-results/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        "@typescript-eslint/no-unused-vars": [
          "error",
          { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
        ],
        "@typescript-eslint/consistent-type-imports": "error",
        "@typescript-eslint/no-explicit-any": "error",
        "@typescript-eslint/no-misused-promises": [
          "error",
          { checksVoidReturn: { attributes: false } },
        ],
      },
    },
    {
      // One configuration module per program: the rest of the code gets its
      // settings as parameters, so nothing else may read the environment.
      rules: {
        "no-restricted-properties": [
          "error",
          {
            object: "process",
            property: "env",
            message:
              "Read the environment in the program's configuration module (e.g. apps/api/src/config.ts) and pass settings down.",
          },
        ],
        "no-restricted-imports": [
          "error",
          {
            paths: ["process", "node:process"].map((name) => ({
              name,
              importNames: ["env"],
              message:
                "Read the environment in the program's configuration module and pass settings down.",
            })),
          },
        ],
      },
    },
    {
      // The exceptions, each named. Paths are relative to the package that lints.
      files: [
        // The configuration modules: apps/api (the API, worker, CLI, pool, PGlite and demo)
        // and apps/bench, packages/db's own programs, the standalone LiteLLM contract server.
        "src/config.ts",
        "src/cli/config.ts",
        "src/contract-server/config.ts",
        // Test code: tests pass environments to the processes they start, and packages/db's
        // test databases follow the vitest project's backend (GATEHOUSE_TEST_DATABASE_URL).
        "test/**",
        "**/*.test.ts",
        "**/*.test.tsx",
        "e2e/**",
        "src/testing/**",
        // packages/client's example is a stand-alone program a reader copies.
        "examples/**",
        // Build-tool configs (vite, vitest, playwright, prisma) are not linted at all
        // (`*.config.*` is ignored above); build.mjs and scripts/*.mjs are plain Node
        // outside every tsconfig and lint.
      ],
      rules: { "no-restricted-properties": "off", "no-restricted-imports": "off" },
    },
    {
      // Tests may assert on loosely typed payloads.
      files: ["**/*.test.ts", "**/*.test.tsx", "test/**"],
      rules: {
        "@typescript-eslint/no-unsafe-member-access": "off",
        "@typescript-eslint/no-unsafe-assignment": "off",
        "@typescript-eslint/no-non-null-assertion": "off",
      },
    },
    ...rooms,
  );
}
