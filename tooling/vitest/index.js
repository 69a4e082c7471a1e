// Shared vitest defaults. `database: true` runs every test file once per database
// backend: always on the embedded PGlite, and also on a real PostgreSQL server when
// GATEHOUSE_TEST_PG_URL names one (CI sets it). Tests get a fresh database from
// `@gatehouse/db/testing`, which reads GATEHOUSE_TEST_DATABASE_URL set per project here.
import { defineConfig, mergeConfig } from "vitest/config";

const base = {
  include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/**
 * @param {{ database?: boolean, test?: Record<string, unknown> }} [options]
 */
export function gatehouseVitest(options = {}) {
  const { database = false, test = {} } = options;
  const serverUrl = process.env.GATEHOUSE_TEST_PG_URL;
  const projects = database
    ? [
        { extends: true, test: { name: "pglite", env: { GATEHOUSE_TEST_DATABASE_URL: "" } } },
        ...(serverUrl
          ? [
              {
                extends: true,
                test: { name: "postgres", env: { GATEHOUSE_TEST_DATABASE_URL: serverUrl } },
              },
            ]
          : []),
      ]
    : undefined;
  return mergeConfig(
    defineConfig({
      test: {
        ...base,
        reporters: process.env.CI ? ["dot"] : ["default"],
        ...(projects ? { projects } : {}),
      },
    }),
    { test },
  );
}
