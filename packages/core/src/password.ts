/**
 * Password rules, one place for the API, the create-admin command and the web forms.
 * Length is the rule (NIST SP 800-63B): no composition rules; the upper bound only keeps
 * argon2id's input reasonable.
 */
import { z } from "zod";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const ZPassword = z
  .string()
  .min(PASSWORD_MIN, { error: `must be at least ${PASSWORD_MIN} characters` })
  .max(PASSWORD_MAX, { error: `must be at most ${PASSWORD_MAX} characters` });
