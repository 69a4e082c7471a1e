// Shared flat config: type-aware rules for every package. Each package calls
// `gatehouseConfig(import.meta.dirname)` so the project service finds its tsconfig.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** @param {string} tsconfigRootDir */
export function gatehouseConfig(tsconfigRootDir) {
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
      // Tests may assert on loosely typed payloads.
      files: ["**/*.test.ts", "**/*.test.tsx", "test/**"],
      rules: {
        "@typescript-eslint/no-unsafe-member-access": "off",
        "@typescript-eslint/no-unsafe-assignment": "off",
        "@typescript-eslint/no-non-null-assertion": "off",
      },
    },
  );
}
