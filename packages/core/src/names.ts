/**
 * Names people give things (organizations, teams, users, products, regions, keys, service
 * tokens) are shown to other people, in lists, audit trails and confirmation dialogs. A
 * bidi override (U+202E) makes "gpj.exe" read "exe.jpg", zero-width characters make two
 * different names look identical: both are Unicode format characters (category Cf), and
 * control characters (Cc) have no place in a one-line name either. One schema builder, so
 * every name field refuses them the same way, with a field error.
 */
import { z } from "zod";

/**
 * Format and control characters, except a zero-width joiner inside an emoji sequence
 * (👩‍💻 is a woman, ZWJ, a laptop): there it is part of one visible picture.
 */
const INVISIBLE =
  /(?!(?<=\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)\u200D(?=\p{Extended_Pictographic}))[\p{Cc}\p{Cf}]/u;

export const INVISIBLE_CHARACTER_MESSAGE =
  "must not contain control or invisible formatting characters (bidi overrides, zero-width characters)";

/** True when the text holds a control or format character (see INVISIBLE). */
export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text);
}

export interface NameRules {
  /** Longest accepted name, after trimming. */
  max: number;
  /** An extra pattern the trimmed name must match (e.g. what a LiteLLM alias allows). */
  pattern?: { regex: RegExp; error: string };
}

/** A trimmed, non-empty, bounded name without control or format characters. */
export function zName(rules: NameRules) {
  const base = z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(rules.max, { error: `must be at most ${rules.max} characters` })
    .refine((name) => !hasInvisibleCharacters(name), { error: INVISIBLE_CHARACTER_MESSAGE });
  return rules.pattern ? base.regex(rules.pattern.regex, { error: rules.pattern.error }) : base;
}

/** Organizations, teams, users, products and service tokens: one limit, API and web alike. */
export const NAME_MAX = 200;
export const ZName = zName({ max: NAME_MAX });
