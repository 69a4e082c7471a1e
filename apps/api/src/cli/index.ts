/**
 * `pnpm gatehouse <command>`: operator commands against DATABASE_URL, or the embedded
 * database when it is unset.
 *   create-admin --email <e> --password <p> [--name <n>]
 */
import { parseArgs } from "node:util";
import { normalizeEmail } from "@gatehouse/core";
import { openDatabase } from "@gatehouse/db";
import { z } from "zod";
import { hashPassword } from "../auth/password.ts";
import { loadConfig } from "../config.ts";
import { exitWithError } from "../fatal.ts";
import { ZEmail, ZName, ZPassword } from "../routers/shared.schema.ts";

const usage = `usage: pnpm gatehouse create-admin --email <email> --password <password> [--name <name>]`;

async function createAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
  });
  const parsed = z
    .object({ email: ZEmail, password: ZPassword, name: ZName.default("Administrator") })
    .safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(`gatehouse: --${issue?.path.join(".")}: ${issue?.message}\n${usage}`);
    process.exit(2);
  }
  const { email, password, name } = parsed.data;
  const { database } = loadConfig();
  const db = await openDatabase({ ...database, applicationName: "gatehouse-cli" });
  try {
    const passwordHash = await hashPassword(password);
    const user = await db.prisma.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: normalizeEmail(email) } });
      const saved = existing
        ? await tx.user.update({
            where: { id: existing.id },
            data: { isSystemAdmin: true, isActive: true, passwordHash },
          })
        : await tx.user.create({ data: { email, name, passwordHash, isSystemAdmin: true } });
      await tx.auditEvent.create({
        data: {
          action: existing ? "user.promoteAdmin" : "user.createAdmin",
          targetType: "user",
          targetId: saved.id,
          details: { email, via: "cli" },
        },
      });
      return saved;
    });
    console.log(`System administrator ready: ${user.email} (${user.id})`);
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2).filter((arg) => arg !== "--");
  switch (command) {
    case "create-admin":
      return createAdmin(rest);
    default:
      console.error(usage);
      process.exit(2);
  }
}

main().catch(exitWithError);
