import type { ViteUserConfig } from "vitest/config";

export interface GatehouseVitestOptions {
  /** Run each test file once per database backend (PGlite, and the server if configured). */
  database?: boolean;
  test?: Record<string, unknown>;
}

export function gatehouseVitest(options?: GatehouseVitestOptions): ViteUserConfig;
