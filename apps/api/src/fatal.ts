/**
 * Entry points end with one readable line for problems an operator can fix (bad config,
 * unreachable database, port in use) and a stack trace only for real bugs.
 */
import { DatabaseConfigError } from "@gatehouse/db";
import { ConfigError } from "./config.ts";

export function exitWithError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DatabaseConfigError) {
    console.error(`gatehouse: ${error.message}`);
  } else if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    const e = error as NodeJS.ErrnoException & { port?: number };
    console.error(`gatehouse: port ${e.port ?? ""} is already in use; set PORT to a free port`);
  } else {
    console.error("gatehouse: unexpected error", error);
  }
  process.exit(1);
}
