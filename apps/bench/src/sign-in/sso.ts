/**
 * The SSO side of the sign-in benchmark: the local IdP with one person per sign-in (so each is
 * a first sign-in with just-in-time provisioning would be unfair to compare with a password
 * login of a known account: the people are provisioned during warm-up and reused), Gatehouse
 * configured with it as an identity provider, and one sign-in: start -> IdP -> timed callback.
 */
import type { ApiClient } from "./http.ts";

export interface SsoBench {
  signInOnce: () => Promise<{ ok: boolean; ms: number }>;
  close: () => Promise<void>;
}

export function prepareSso(
  _client: ApiClient,
  _admin: string,
  _signIns: number,
): Promise<SsoBench> {
  return Promise.reject(
    new Error(
      "the SSO side needs the /auth/sso endpoints (helper sso's seam); run with --password-only",
    ),
  );
}
