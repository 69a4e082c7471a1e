import { gatehouseConfig } from "@gatehouse/eslint-config";

/**
 * packages/db owns persistence (ARCHITECTURE.md): apps/api calls its named functions and
 * opens transactions with `transaction(ctx.db, fn)`. SQL text, the Prisma client and the
 * pool are written there, next to the other queries on the same tables, where they are
 * read and tested as data access; here they would be a second home for the same rules.
 */
const dataAccess = (what) =>
  `${what} in apps/api: write it as a named function in packages/db/src/<aggregate>/ (exported from @gatehouse/db) and call that (ARCHITECTURE.md, apps/api/eslint.config.js).`;

const noDataAccess = {
  files: ["src/**/*.ts"],
  rules: {
    "no-restricted-syntax": [
      "error",
      {
        // ctx.db.prisma, deps.db.pool, db.prisma, ...: the Database's clients.
        selector:
          "MemberExpression[property.name=/^(prisma|pool)$/]:matches([object.name='db'], [object.property.name='db'])",
        message: dataAccess("The Prisma client or the pool (db.prisma / db.pool)"),
      },
      {
        selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)(Unsafe)?$/]",
        message: dataAccess("Raw SQL through Prisma ($queryRaw / $executeRaw)"),
      },
      {
        // client.query(`SELECT ...`), pool.query("UPDATE ..."), tx.query(sql`...`)
        selector:
          "CallExpression[callee.property.name='query']:matches([arguments.0.type=/^(TemplateLiteral|TaggedTemplateExpression)$/], [arguments.0.value=/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|LOCK|SET)\\b/i])",
        message: dataAccess("SQL text (.query)"),
      },
      {
        selector:
          "TaggedTemplateExpression[tag.name='sql'], TaggedTemplateExpression[tag.property.name='sql']",
        message: dataAccess("SQL text (sql`...`)"),
      },
    ],
  },
};

// build.mjs is plain Node (it runs before anything is compiled), outside the tsconfig.
export default [
  { ignores: ["build.mjs"] },
  ...gatehouseConfig(import.meta.dirname, { room: "api" }),
  noDataAccess,
];
