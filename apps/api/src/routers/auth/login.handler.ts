/**
 * auth.login. Only failed attempts count, against three limits, checked before any
 * password work. Every key names the client by its address group (core addressGroupOf:
 * the IPv4 address, or the /64 of an IPv6 address).
 * - per (account, address), the tight one (GATEHOUSE_LOGIN_MAX_PER_ACCOUNT): guessing one
 *   account's password from one place; refused for the window;
 * - per address whatever the account (GATEHOUSE_LOGIN_MAX_PER_ADDRESS): spraying many
 *   accounts; refused for the window; successful logins do not count, so people behind one
 *   NAT do not lock each other out;
 * - per account from any address (GATEHOUSE_LOGIN_MAX_PER_ACCOUNT_ANY_ADDRESS): a
 *   distributed guess. Past it the account is not locked: each further attempt waits a
 *   delay that doubles per failure (core accountThrottle), and a place the account signed
 *   in from recently (its address group, or the device cookie that sign-in left) is exempt,
 *   so strangers' failures cannot keep the owner out.
 * An attempt takes its place in the counters first (so parallel guesses cannot slip past a
 * limit) and gives them back when it succeeds or a later limit refuses it.
 * Unknown email, wrong password and disabled account all get the same answer in the same
 * time, so the endpoint does not reveal which accounts exist.
 */
import crypto from "node:crypto";
import { addressGroupOf, DomainError, KNOWN_PLACE_MS, normalizeEmail } from "@gatehouse/core";
import {
  findLoginUser,
  hitAccountLimit,
  hitRateLimit,
  isKnownPlace,
  recordLogin,
  refundRateLimit,
  rememberPlaces,
  resetRateLimit,
  ssoRequired,
  transaction,
} from "@gatehouse/db";
import { verifyAgainstDummy, verifyPassword } from "../../auth/password.ts";
import { createSession } from "../../auth/sessions.ts";
import { writeAudit } from "../../audit/write.ts";
import { publicProcedure } from "../../trpc/init.ts";
import { ZLoginInput, ZLoginOutput } from "./login.schema.ts";
import { describeActor } from "./shared.ts";

/** A browser's known-place key for an account (the cookie's token is stored only hashed). */
const knownDeviceKey = (email: string, deviceToken: string): string =>
  `login:known-device:${email}:${crypto.createHash("sha256").update(deviceToken).digest("base64url")}`;

const invalid = () => new DomainError("UNAUTHORIZED", "Invalid email or password");

export const login = publicProcedure
  .input(ZLoginInput)
  .output(ZLoginOutput)
  .mutation(async ({ ctx, input }) => {
    const email = normalizeEmail(input.email);
    const now = ctx.clock.now();
    const { windowMs, maxPerAccount, maxPerAccountAnyAddress, maxPerAddress } = ctx.config.login;
    const place = addressGroupOf(ctx.ip);
    const limits = [
      { key: `login:account-address:${email}:${place}`, max: maxPerAccount },
      { key: `login:address:${place}`, max: maxPerAddress },
    ];
    const accountKey = `login:account:${email}`;
    const deviceKey = ctx.deviceToken ? knownDeviceKey(email, ctx.deviceToken) : null;
    const knownPlaceKeys = [
      `login:known-address:${email}:${place}`,
      ...(deviceKey ? [deviceKey] : []),
    ];
    const taken: string[] = [];
    const giveBack = () =>
      Promise.all(taken.map((key) => refundRateLimit(ctx.db, key, windowMs, now)));
    const tooMany = (details?: { retryAfterSeconds: number }) =>
      new DomainError(
        "TOO_MANY_REQUESTS",
        "Too many failed login attempts; try again later",
        details,
      );
    // One after the other: an attempt refused by the first limit never counts against the
    // next ones (hammering after the tight limit does not push the account-wide one).
    for (const { key, max } of limits) {
      taken.push(key);
      if ((await hitRateLimit(ctx.db, key, windowMs, now)) > max) {
        await giveBack();
        throw tooMany();
      }
    }
    const known = await isKnownPlace(
      ctx.db,
      knownPlaceKeys,
      new Date(now.getTime() - KNOWN_PLACE_MS),
    );
    if (!known) {
      const throttle = await hitAccountLimit(
        ctx.db,
        accountKey,
        maxPerAccountAnyAddress,
        windowMs,
        now,
      );
      if (!throttle.allowed) {
        await giveBack();
        throw tooMany({ retryAfterSeconds: Math.ceil(throttle.retryAfterMs / 1000) });
      }
      taken.push(accountKey);
    }

    const user = await findLoginUser(ctx.db, email);
    // An account without a password (made by single sign-on) is answered like an unknown
    // one, after the same work.
    const ok = user?.passwordHash
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDummy(input.password);
    if (!user || !ok || !user.isActive) throw invalid();
    // Asked only after the password proved right, so it reveals nothing about accounts.
    if (await ssoRequired(ctx.db, user.id)) {
      await giveBack();
      throw new DomainError("FORBIDDEN", "Your organization requires single sign-on", {
        ssoRequired: true,
      });
    }

    const { token, session } = await transaction(ctx.db, async (tx) => {
      const created = await createSession(tx, user, {
        now,
        policy: ctx.config.session,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      await recordLogin(tx, user.id, now);
      await writeAudit(
        tx,
        {
          ...ctx,
          actor: {
            kind: "user",
            userId: user.id,
            isSystemAdmin: user.isSystemAdmin,
            adminOrgIds: [],
            sessionId: created.session.id,
          },
        },
        { action: "auth.login", targetType: "session", targetId: created.session.id },
      );
      return created;
    });
    // A success is not a failed attempt: it counts against no limit, and whoever is at
    // this address has shown they know the password (earlier typos there are forgiven).
    await giveBack();
    await resetRateLimit(ctx.db, limits[0]!.key);
    // This address group and this browser are now known places of the account.
    const deviceToken = ctx.deviceToken ?? crypto.randomBytes(32).toString("base64url");
    await rememberPlaces(ctx.db, [knownPlaceKeys[0]!, knownDeviceKey(email, deviceToken)], now);
    ctx.cookies.set(token, session.absoluteExpiresAt);
    ctx.cookies.setDevice(deviceToken, new Date(now.getTime() + KNOWN_PLACE_MS));
    return describeActor(
      ctx,
      {
        kind: "user",
        userId: user.id,
        isSystemAdmin: user.isSystemAdmin,
        adminOrgIds: [],
        sessionId: session.id,
      },
      session,
    );
  });
