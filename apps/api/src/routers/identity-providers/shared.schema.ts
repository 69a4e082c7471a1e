import { normalizeDomain, ZOrgRole, ZTeamRole } from "@gatehouse/core";
import { z } from "zod";
import { ZDateTime, ZId } from "../shared.schema.ts";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether an http URL is on this machine (the only place a plain-http issuer is allowed). */
export const isLoopbackUrl = (url: URL): boolean => LOOPBACK.has(url.hostname);

/** The URL, or null when the text is none (zod runs refinements after a failed format check). */
const urlOf = (text: string): URL | null => (URL.canParse(text) ? new URL(text) : null);

/** An issuer: https, or http on loopback only (a local IdP for tests and the demo). */
export const ZIssuer = z
  .url({ error: "must be a URL" })
  .max(500)
  .refine(
    (text) => {
      const url = urlOf(text);
      return (
        url !== null &&
        (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackUrl(url)))
      );
    },
    { error: "must be an https URL (plain http only on localhost)" },
  )
  .refine(
    (text) => {
      const url = urlOf(text);
      return url !== null && !url.search && !url.hash && !url.username && !url.password;
    },
    { error: "must not have credentials, a query or a fragment" },
  );
// Kept exactly as given: discovery compares it with the provider's own `issuer` (some end
// with a slash, most do not).

const ZDomain = z
  .string()
  .trim()
  .max(253)
  .transform(normalizeDomain)
  .refine((d) => /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d), {
    error: "must be an email domain, e.g. example.com",
  });

export const ZDomains = z
  .array(ZDomain)
  .min(1, { error: "name at least one email domain" })
  .max(50)
  .refine((ds) => new Set(ds).size === ds.length, { error: "must not repeat a domain" });

export const ZClientId = z.string().trim().min(1).max(255);
/** Write-only: never part of any answer. */
export const ZClientSecret = z.string().min(1).max(1000);
export const ZGroupsClaim = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_:./-]{1,100}$/, {
    error: "must be a claim name (letters, digits, _ : . / -)",
  });

export const ZGroupRuleOutput = z.object({
  id: ZId,
  group: z.string(),
  organizationId: ZId,
  orgRole: ZOrgRole.nullable(),
  teamId: ZId.nullable(),
  teamName: z.string().nullable(),
  teamRole: ZTeamRole.nullable(),
});

export const ZIdentityProvider = z.object({
  id: ZId,
  organizationId: ZId.nullable(),
  organizationName: z.string().nullable(),
  issuer: z.string(),
  clientId: z.string(),
  domains: z.array(z.string()),
  jitProvisioning: z.boolean(),
  groupsClaim: z.string(),
  /** What to register at the provider as the redirect URI. */
  redirectUri: z.string(),
  groupRules: z.array(ZGroupRuleOutput),
  createdAt: ZDateTime,
  updatedAt: ZDateTime,
});
