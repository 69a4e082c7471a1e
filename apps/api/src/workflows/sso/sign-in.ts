/**
 * An SSO sign-in once the provider's ID token passed every check: find the account (by the
 * identity, else by verified email, else create it when the provider provisions just in
 * time), sync the group memberships, start the usual session. One transaction: a sign-in
 * that fails leaves nothing behind. Refusals name a code for `/login?sso_error=`, never
 * whether an account exists.
 */
import { emailVouchedFor, normalizeEmail, providerServesEmail, type Actor } from "@gatehouse/core";
import {
  findAccountByEmail,
  findIdentityUser,
  insertSsoUser,
  recordLogin,
  saveIdentity,
  transaction,
  type ProviderForSignIn,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { createSession } from "../../auth/sessions.ts";
import type { AppDeps, SessionInfo } from "../../context.ts";
import { groupsOf, syncSsoMemberships } from "./group-sync.ts";

/** Why a sign-in was refused (shown to the person by the login page). */
export type SsoErrorCode =
  | "invalid_request"
  | "no_provider"
  | "idp_unavailable"
  | "idp_refused"
  | "email_unverified"
  | "domain_not_served"
  | "not_allowed"
  | "too_many_requests"
  | "server_error";

export type SsoSignInResult =
  | { ok: true; token: string; session: SessionInfo; userId: string }
  | { ok: false; code: SsoErrorCode };

export interface VerifiedClaims {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  sid?: unknown;
  [claim: string]: unknown;
}

export async function completeSsoSignIn(
  deps: Pick<AppDeps, "db" | "config" | "clock">,
  request: { requestId: string; ip: string; userAgent: string | null },
  provider: ProviderForSignIn,
  claims: VerifiedClaims,
): Promise<SsoSignInResult> {
  // An email the provider does not vouch for links nothing and creates nothing.
  if (!emailVouchedFor(claims) || typeof claims.email !== "string")
    return { ok: false, code: "email_unverified" };
  const email = normalizeEmail(claims.email);
  if (!providerServesEmail(provider.domains, email))
    return { ok: false, code: "domain_not_served" };
  const now = deps.clock.now();
  const sid = typeof claims.sid === "string" ? claims.sid : null;
  return transaction(deps.db, async (tx): Promise<SsoSignInResult> => {
    const system = { actor: null, requestId: request.requestId, clock: deps.clock };
    let user = await findIdentityUser(tx, provider.id, claims.sub);
    if (!user) {
      const existing = await findAccountByEmail(tx, email);
      if (existing) {
        user = existing;
        await writeAudit(tx, actorFor(existing, request.requestId, deps), {
          action: "auth.sso_link",
          targetType: "user",
          targetId: existing.id,
          details: { providerId: provider.id, subject: claims.sub, email },
        });
      } else if (provider.jitProvisioning) {
        const name =
          typeof claims.name === "string" && claims.name.trim()
            ? claims.name.trim().slice(0, 200)
            : email;
        user = await insertSsoUser(tx, { email, name, now });
        await writeAudit(tx, system, {
          action: "user.create",
          targetType: "user",
          targetId: user.id,
          organizationId: provider.organizationId,
          details: { email, via: "sso", providerId: provider.id },
        });
      } else {
        return { ok: false, code: "not_allowed" };
      }
    }
    if (!user.isActive) return { ok: false, code: "not_allowed" };
    await saveIdentity(tx, {
      providerId: provider.id,
      subject: claims.sub,
      userId: user.id,
      email,
      now,
    });
    const actor = actorFor(user, request.requestId, deps);
    const sync = await syncSsoMemberships(tx, actor, {
      providerId: provider.id,
      userId: user.id,
      groups: groupsOf(claims[provider.groupsClaim]),
    });
    const created = await createSession(tx, user, {
      now,
      policy: deps.config.session,
      ip: request.ip,
      userAgent: request.userAgent,
      authMethod: "SSO",
      idpProviderId: provider.id,
      idpSid: sid,
    });
    await recordLogin(tx, user.id, now);
    await writeAudit(
      tx,
      { ...actor, actor: { ...actor.actor, sessionId: created.session.id } },
      {
        action: "auth.sso_login",
        targetType: "session",
        targetId: created.session.id,
        organizationId: provider.organizationId,
        details: { providerId: provider.id, memberships: { ...sync } },
      },
    );
    return { ok: true, token: created.token, session: created.session, userId: user.id };
  });
}

function actorFor(
  user: { id: string; isSystemAdmin: boolean },
  requestId: string,
  deps: Pick<AppDeps, "clock">,
): { actor: Extract<Actor, { kind: "user" }>; requestId: string; clock: AppDeps["clock"] } {
  return {
    actor: {
      kind: "user",
      userId: user.id,
      isSystemAdmin: user.isSystemAdmin,
      adminOrgIds: [],
      sessionId: "",
    },
    requestId,
    clock: deps.clock,
  };
}
