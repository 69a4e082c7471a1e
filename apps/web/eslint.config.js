import { readdirSync } from "node:fs";
import { gatehouseConfig } from "@gatehouse/eslint-config";
import reactHooks from "eslint-plugin-react-hooks";

/**
 * Feature folders stay independent (Bulletproof React's rule): a feature imports shared
 * code (`@/components`, `@/lib`) and its own files, never another feature nor `@/app`,
 * which composes features into routes. Shared code imports no feature at all. What two
 * features need belongs in components/ or lib/.
 */
const features = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const message = (what) =>
  `${what}: move what is shared to @/components or @/lib (apps/web/eslint.config.js).`;

const featureRules = features.flatMap((feature) => {
  const otherFeatures = {
    regex: `^@/features/(?!${feature}/)`,
    message: message(`"${feature}" must not import another feature`),
  };
  const app = { regex: "^@/app/", message: message("Features must not import @/app") };
  const leaving = (depth) => ({
    regex: `^(\\.\\./){${depth},}`,
    message: message(`Import shared code by "@/…", not by a path out of "${feature}"`),
  });
  return [
    {
      files: [`src/features/${feature}/**/*.{ts,tsx}`],
      rules: {
        "no-restricted-imports": ["error", { patterns: [otherFeatures, app, leaving(2)] }],
      },
    },
    {
      // A file at the feature's top (search.ts) leaves it with a single "../".
      files: [`src/features/${feature}/*.{ts,tsx}`],
      rules: {
        "no-restricted-imports": ["error", { patterns: [otherFeatures, app, leaving(1)] }],
      },
    },
  ];
});

export default [
  ...gatehouseConfig(import.meta.dirname, { room: "web" }),
  { ignores: ["playwright-report/**"] },
  {
    // The two classic hook rules; the compiler-oriented ones in "recommended" are not
    // used because this app does not run the React Compiler.
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["src/components/**/*.{ts,tsx}", "src/lib/**/*.{ts,tsx}", "src/testing/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/(features|app)/|^(\\.\\./)+(features|app)/",
              message: message("Shared code must not import a feature or @/app"),
            },
          ],
        },
      ],
    },
  },
  ...featureRules,
];
