import { gatehouseConfig } from "@gatehouse/eslint-config";

/**
 * Routers and workflows reach the database through Prisma's model API or through named
 * functions of packages/db (issue 15): raw SQL, on the pool or through Prisma, is written
 * there, next to the other queries on the same tables, where it is read and tested as data
 * access.
 */
const dataAccess = (what) =>
  `${what} in a router or workflow: write it as a named function in packages/db/src (exported from @gatehouse/db) and call that (apps/api/eslint.config.js).`;

const noRawSql = {
  files: ["src/routers/**/*.ts", "src/workflows/**/*.ts"],
  rules: {
    "no-restricted-syntax": [
      "error",
      {
        selector:
          "CallExpression[callee.property.name='query'][callee.object.property.name='pool']",
        message: dataAccess("SQL on the pool (pool.query)"),
      },
      {
        selector: "CallExpression[callee.property.name='query'][callee.object.name='pool']",
        message: dataAccess("SQL on the pool (pool.query)"),
      },
      {
        selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)(Unsafe)?$/]",
        message: dataAccess("Raw SQL through Prisma ($queryRaw / $executeRaw)"),
      },
    ],
  },
};

// build.mjs is plain Node (it runs before anything is compiled), outside the tsconfig.
export default [{ ignores: ["build.mjs"] }, ...gatehouseConfig(import.meta.dirname), noRawSql];
