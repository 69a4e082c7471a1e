// Prisma CLI configuration for this offline toolchain: the WASM schema engine ("js")
// through the pg driver adapter, so no native engine download is ever attempted.
// See README "Prisma offline".
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The CLI still checks that engine files exist, though it never runs them in this mode.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= path.join(import.meta.dirname, "package.json");
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "package.json");
process.env.CHECKPOINT_DISABLE ??= "1";
// Validation needs a syntactically valid URL even for `generate`.
process.env.DATABASE_URL ??= "postgresql://placeholder@localhost:5432/placeholder";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "prisma/schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "prisma/migrations") },
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true }),
});
