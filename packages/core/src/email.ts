/**
 * Emails are unique case-insensitively. We store them normalized so a plain unique index
 * enforces it and lookups are exact matches.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
