import { gatehouseConfig } from "@gatehouse/eslint-config";
import reactHooks from "eslint-plugin-react-hooks";

export default [
  ...gatehouseConfig(import.meta.dirname),
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
];
