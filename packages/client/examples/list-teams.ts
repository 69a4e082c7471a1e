/**
 * Example: an internal service talking to Gatehouse with a service token.
 *
 *   GATEHOUSE_URL=http://127.0.0.1:3000 GATEHOUSE_TOKEN=ghst_... pnpm --filter @gatehouse/client example
 *
 * Prints who the token is (`auth.me`) and the people it may see (`users.list`: everyone
 * for an admin-scoped token, its organization's members for an org-scoped one).
 */
import { createGatehouseClient, isGatehouseClientError, type RouterOutputs } from "../src/index.ts";

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set (see the usage at the top of examples/list-teams.ts)`);
    process.exit(2);
  }
  return value;
}

function describeCaller(me: RouterOutputs["auth"]["me"]): string {
  if (me.kind === "service") {
    return me.scope === "admin"
      ? `service token ${me.serviceTokenId} (admin scope)`
      : `service token ${me.serviceTokenId} (organization ${me.organizationId})`;
  }
  return `${me.user.email}${me.user.isSystemAdmin ? " (system admin)" : ""}`;
}

async function main(): Promise<void> {
  const client = createGatehouseClient({
    url: requireEnv("GATEHOUSE_URL"),
    token: requireEnv("GATEHOUSE_TOKEN"),
  });

  // Both calls leave in one batched HTTP request.
  const [me, users] = await Promise.all([
    client.auth.me.query(),
    client.users.list.query({ pageSize: 50 }),
  ]);

  console.log(`Signed in as ${describeCaller(me)}`);
  console.log(
    `${users.total} user(s)${users.totalPages > 1 ? ` (first ${users.items.length} shown)` : ""}:`,
  );
  for (const user of users.items) {
    const flags = [user.isSystemAdmin ? "admin" : null, user.isActive ? null : "disabled"].filter(
      Boolean,
    );
    console.log(
      `  ${user.email.padEnd(40)} ${user.name}${flags.length ? ` [${flags.join(", ")}]` : ""}`,
    );
  }
}

main().catch((error: unknown) => {
  if (isGatehouseClientError(error)) {
    // The request id is what an operator greps the server log for.
    const { code = "?", requestId = "?" } = error.data ?? {};
    console.error(`Gatehouse refused: ${error.message} (${code}, request ${requestId ?? "?"})`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
