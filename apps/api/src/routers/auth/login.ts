/**
 * auth.login. Rate-limited per account and per client address before any password work;
 * unknown email, wrong password and disabled account all get the same answer in the same
 * time, so the endpoint does not reveal which accounts exist.
 */
import { DomainError, normalizeEmail } from "@gatehouse/core";
import { verifyAgainstDummy, verifyPassword } from "../../auth/password.ts";
import { hitRateLimit, resetRateLimit } from "../../auth/rate-limit.ts";
import { createSession } from "../../auth/sessions.ts";
import { writeAudit } from "../../audit/write.ts";
import { publicProcedure } from "../../trpc/init.ts";
import { describeActor } from "./me.ts";
import { ZLoginInput, ZMe } from "./schemas.ts";

const invalid = () => new DomainError("UNAUTHORIZED", "Invalid email or password");

export const login = publicProcedure
  .input(ZLoginInput)
  .output(ZMe)
  .mutation(async ({ ctx, input }) => {
    const email = normalizeEmail(input.email);
    const now = ctx.clock.now();
    const { windowMs, maxPerAccount, maxPerAddress } = ctx.config.login;
    const accountKey = `login:account:${email}`;
    const [perAccount, perAddress] = await Promise.all([
      hitRateLimit(ctx.db, accountKey, windowMs, now),
      hitRateLimit(ctx.db, `login:address:${ctx.ip}`, windowMs, now),
    ]);
    if (perAccount > maxPerAccount || perAddress > maxPerAddress) {
      throw new DomainError("TOO_MANY_REQUESTS", "Too many login attempts; try again later");
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
    await resetRateLimit(ctx.db, accountKey);
    ctx.cookies.set(token, session.absoluteExpiresAt);
    return describeActor(
      ctx,
      { kind: "user", userId: user.id, isSystemAdmin: user.isSystemAdmin, adminOrgIds: [], sessionId: session.id },
      session,
    );
  });
