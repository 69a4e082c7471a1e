/**
 * An SSO sign-in's database work: the attempt under way (state, nonce, PKCE verifier and the
 * browser binding, consumed once), the person's identity at the provider, and the account it
 * signs in to.
 */
import type { Database } from "../client.ts";
import type { Tx } from "../transaction.ts";

export interface NewLoginAttempt {
  stateHash: string;
  providerId: string;
  nonce: string;
  codeVerifier: string;
  browserHash: string;
  expiresAt: Date;
  now: Date;
}

/** Records a sign-in under way, and prunes the expired ones (a few rows, by index). */
export async function insertLoginAttempt(
  db: Pick<Database, "prisma">,
  attempt: NewLoginAttempt,
): Promise<void> {
  const { now, ...data } = attempt;
  await db.prisma.ssoLoginAttempt.deleteMany({ where: { expiresAt: { lt: now } } });
  await db.prisma.ssoLoginAttempt.create({ data: { ...data, createdAt: now } });
}

export interface LoginAttempt {
  providerId: string;
  nonce: string;
  codeVerifier: string;
  browserHash: string;
  expiresAt: Date;
}

/** Takes the attempt of this state (one use: a replayed callback finds nothing). */
export async function consumeLoginAttempt(
  db: Pick<Database, "pool">,
  stateHash: string,
): Promise<LoginAttempt | null> {
  const { rows } = await db.pool.query<{
    provider_id: string;
    nonce: string;
    code_verifier: string;
    browser_hash: string;
    expires_at: Date;
  }>(
    `DELETE FROM sso_login_attempts WHERE state_hash = $1
     RETURNING provider_id::text, nonce, code_verifier, browser_hash, expires_at`,
    [stateHash],
  );
  const row = rows[0];
  return row
    ? {
        providerId: row.provider_id,
        nonce: row.nonce,
        codeVerifier: row.code_verifier,
        browserHash: row.browser_hash,
        expiresAt: new Date(row.expires_at),
      }
    : null;
}

export interface SsoAccount {
  id: string;
  email: string;
  isActive: boolean;
  isSystemAdmin: boolean;
}

const accountSelect = { id: true, email: true, isActive: true, isSystemAdmin: true } as const;

/** The account linked to (provider, subject), if any. */
export async function findIdentityUser(
  tx: Tx,
  providerId: string,
  subject: string,
): Promise<SsoAccount | null> {
  const identity = await tx.userIdentity.findUnique({
    where: { providerId_subject: { providerId, subject } },
    select: { user: { select: accountSelect } },
  });
  return identity?.user ?? null;
}

export function findAccountByEmail(tx: Tx, email: string): Promise<SsoAccount | null> {
  return tx.user.findUnique({ where: { email }, select: accountSelect });
}

/** A new account without a password (just-in-time provisioning). */
export function insertSsoUser(
  tx: Tx,
  user: { email: string; name: string; now: Date },
): Promise<SsoAccount> {
  return tx.user.create({
    data: { email: user.email, name: user.name, passwordHash: null, createdAt: user.now },
    select: accountSelect,
  });
}

/** Links (provider, subject) to a user, or records the sign-in of an existing link. */
export async function saveIdentity(
  tx: Tx,
  identity: { providerId: string; subject: string; userId: string; email: string; now: Date },
): Promise<void> {
  await tx.userIdentity.upsert({
    where: {
      providerId_subject: { providerId: identity.providerId, subject: identity.subject },
    },
    create: {
      providerId: identity.providerId,
      subject: identity.subject,
      userId: identity.userId,
      email: identity.email,
      createdAt: identity.now,
      lastLoginAt: identity.now,
    },
    update: { email: identity.email, lastLoginAt: identity.now },
  });
}

/** The user linked to (provider, subject), for a back-channel logout naming only `sub`. */
export async function findIdentityUserId(
  db: Pick<Database, "prisma">,
  providerId: string,
  subject: string,
): Promise<string | null> {
  const identity = await db.prisma.userIdentity.findUnique({
    where: { providerId_subject: { providerId, subject } },
    select: { userId: true },
  });
  return identity?.userId ?? null;
}
