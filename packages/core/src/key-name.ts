/**
 * API key names: unique within a team, shown in UIs and used as the LiteLLM key alias.
 */
import { zName } from "./names.ts";

export const KEY_NAME_MAX = 64;
export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;

export const ZKeyName = zName({
  max: KEY_NAME_MAX,
  pattern: {
    regex: KEY_NAME_PATTERN,
    error: "must start with a letter or digit and contain only letters, digits, space, _ . and -",
  },
});

export function isValidKeyName(name: string): boolean {
  return ZKeyName.safeParse(name).success && name === name.trim();
}
