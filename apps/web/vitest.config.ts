/** Component tests only (jsdom); browser end-to-end tests live in e2e/ and run with Playwright. */
import { gatehouseVitest } from "@gatehouse/vitest-config";
import { mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

export default mergeConfig(
  viteConfig,
  gatehouseVitest({
    test: {
      environment: "jsdom",
      include: ["src/**/*.test.{ts,tsx}"],
      setupFiles: ["./src/testing/setup.ts"],
      css: false,
    },
  }),
);
