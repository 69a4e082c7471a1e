/**
 * The data tools, `@gatehouse/db/data`: the demo seed (`pnpm start`'s demo mode, tests of
 * the demo screens) and the bulk generator behind `generate-data` and the benchmarks.
 * Kept out of the main index so the server's persistence API does not carry them.
 */
export {
  DEMO_TEAMS_OF_NOTE,
  seedDemo,
  type SeedCredential,
  type SeedDemoOptions,
  type SeedDemoResult,
} from "./seed.ts";
export {
  ensureDemoIdentityProvider,
  type DemoSsoOptions,
  type DemoSsoResult,
  type DemoSsoRule,
} from "./demo-sso.ts";
export {
  generateData,
  DatabaseNotEmptyError,
  type GenerateDataOptions,
  type GenerateDataResult,
} from "./generate.ts";
