/**
 * `pnpm gatehouse <command>`: operator commands against DATABASE_URL, or the embedded
 * database when it is unset.
 *   create-admin --email <e> --password <p> [--name <n>]
 *   reseal-secrets   seals every secret again under GATEHOUSE_SECRETS_KEY (key rotation)
 */
import { parseArgs } from "node:util";
import { normalizeEmail } from "@gatehouse/core";
import { insertOperatorAudit, openDatabase, saveSystemAdmin } from "@gatehouse/db";
import { z } from "zod";
import { hashPassword } from "../auth/password.ts";
import { loadConfig } from "../config.ts";
import { exitWithError } from "../fatal.ts";
import { resealSecrets } from "../sealing.ts";
import { ZEmail, ZName, ZPassword } from "../routers/shared.schema.ts";

const usage = `usage: pnpm gatehouse create-admin --email <email> --password <password> [--name <name>]
       pnpm gatehouse reseal-secrets`;

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
    const user = await saveSystemAdmin(
      db,
      { lookupEmail: normalizeEmail(email), email, name, passwordHash },
      { email, via: "cli" },
    );
    console.log(`System administrator ready: ${user.email} (${user.id})`);
  } finally {
    await db.close();
  }
}

/**
 * The last step of a rotation of GATEHOUSE_SECRETS_KEY: with the new key set and the old one
 * in GATEHOUSE_SECRETS_KEY_PREVIOUS, seals master keys, key secrets and pending restore
 * jobs' secrets under the new key. Exits 1 when some value opens under no configured key.
 */
async function resealAll(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase({ ...config.database, applicationName: "gatehouse-cli" });
  try {
    const report = await resealSecrets(db, config);
    const line = (counts: Record<string, number>) =>
      `region master keys ${counts.regionMasterKey}, key secrets ${counts.keySecret}, restore jobs ${counts.restoreJobSecret}, identity provider client secrets ${counts.idpClientSecret}`;
    console.log(`Re-sealed under GATEHOUSE_SECRETS_KEY: ${line(report.resealed)}`);
    await insertOperatorAudit(db, {
      action: "secrets.reseal",
      targetType: "secrets",
      targetId: "all",
      details: { via: "cli", resealed: report.resealed, unopenable: report.unopenable },
    });
    const unopenable = Object.values(report.unopenable).reduce((a, b) => a + b, 0);
    if (unopenable > 0) {
      console.error(
        `gatehouse: left as they were, opening under no configured key: ${line(report.unopenable)}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2).filter((arg) => arg !== "--");
  switch (command) {
    case "create-admin":
      return createAdmin(rest);
    case "reseal-secrets":
      return resealAll();
    default:
      console.error(usage);
      process.exit(2);
  }
}

main().catch(exitWithError);
