/**
 * auth.login. Only failed attempts count, against three limits, checked before any
 * password work:
 * - per (account, address), the tight one (GATEHOUSE_LOGIN_MAX_PER_ACCOUNT): guessing one
 *   account's password from one place;
 * - per account from any address, looser (GATEHOUSE_LOGIN_MAX_PER_ACCOUNT_ANY_ADDRESS):
 *   a distributed guess; an attacker at one address cannot reach it alone, so cannot lock
 *   the owner out;
 * - per address whatever the account (GATEHOUSE_LOGIN_MAX_PER_ADDRESS): spraying many
 *   accounts; successful logins do not count, so people behind one NAT do not lock each
 *   other out.
 * An attempt takes its place in all three counters first (so parallel guesses cannot slip
 * past a limit) and gives them back when it succeeds or another limit refuses it.
 * Unknown email, wrong password and disabled account all get the same answer in the same
 * time, so the endpoint does not reveal which accounts exist.
 */
import { ZLoginInput } from "./login.schema.ts";
import { DomainError, normalizeEmail } from "@gatehouse/core";
import { verifyAgainstDummy, verifyPassword } from "../../auth/password.ts";
import { hitRateLimit, refundRateLimit, resetRateLimit } from "../../auth/rate-limit.ts";
import { createSession } from "../../auth/sessions.ts";
import { writeAudit } from "../../audit/write.ts";
import { publicProcedure } from "../../trpc/init.ts";
import { describeActor } from "./me.handler.ts";
import { ZMe } from "./shared.schema.ts";

const invalid = () => new DomainError("UNAUTHORIZED", "Invalid email or password");

export const login = publicProcedure
  .input(ZLoginInput)
  .output(ZMe)
  .mutation(async ({ ctx, input }) => {
    const email = normalizeEmail(input.email);
    const now = ctx.clock.now();
    const { windowMs, maxPerAccount, maxPerAccountAnyAddress, maxPerAddress } = ctx.config.login;
    const limits = [
      { key: `login:account-address:${email}:${ctx.ip}`, max: maxPerAccount },
      { key: `login:address:${ctx.ip}`, max: maxPerAddress },
      { key: `login:account:${email}`, max: maxPerAccountAnyAddress },
    ];
    const taken: string[] = [];
    const giveBack = () =>
      Promise.all(taken.map((key) => refundRateLimit(ctx.db, key, windowMs, now)));
    // One after the other: an attempt refused by the first limit never counts against the
    // next ones (hammering after the tight limit does not push the account-wide one).
    for (const { key, max } of limits) {
      taken.push(key);
      if ((await hitRateLimit(ctx.db, key, windowMs, now)) > max) {
        await giveBack();
        throw new DomainError(
          "TOO_MANY_REQUESTS",
          "Too many failed login attempts; try again later",
        );
      }
    }

    const user = await ctx.db.prisma.user.findUnique({
      where: { email },
      select: { id: true, passwordHash: true, isActive: true, isSystemAdmin: true },
    });
    const ok = user
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDummy(input.password);
    if (!user || !ok || !user.isActive) throw invalid();

    const { token, session } = await ctx.db.prisma.$transaction(async (tx) => {
      const created = await createSession(tx, user, {
        now,
        policy: ctx.config.session,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
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
    ctx.cookies.set(token, session.absoluteExpiresAt);
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
