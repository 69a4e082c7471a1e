/**
 * Configuration problems the operator can fix. Entry points print `message` as one line
 * and exit, instead of a stack trace.
 */
export class DatabaseConfigError extends Error {
  override readonly name = "DatabaseConfigError";
}
