/**
 * Emails are unique case-insensitively. We store them normalized so a plain unique index
 * enforces it and lookups are exact matches.
 */
import { z } from "zod";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** RFC 5321's longest address. */
export const EMAIL_MAX = 254;

/** An email as the API takes it (and the web forms check it): valid, bounded, normalized. */
export const ZEmail = z
  .email({ error: "must be a valid email address" })
  .max(EMAIL_MAX, { error: `must be at most ${EMAIL_MAX} characters` })
  .transform(normalizeEmail);
