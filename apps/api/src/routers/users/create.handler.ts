import { conflict } from "@gatehouse/core";
import { ZCreateUserInput } from "./create.schema.ts";
import { hashPassword } from "../../auth/password.ts";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { ZUser } from "./shared.schema.ts";
import { toUserOutput, userPublicSelect } from "./shared.ts";

export const createUser = adminProcedure
  .input(ZCreateUserInput)
  .output(ZUser)
  .mutation(async ({ ctx, input }) => {
    const passwordHash = await hashPassword(input.password);
    const user = await ctx.db.prisma.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({
        where: { email: input.email },
        select: { id: true },
      });
      if (existing) throw conflict("A user with this email already exists", { field: "email" });
      const created = await tx.user.create({
        data: {
          email: input.email,
          name: input.name,
          passwordHash,
          isSystemAdmin: input.isSystemAdmin,
          createdAt: ctx.clock.now(),
        },
        select: userPublicSelect,
      });
      await writeAudit(tx, ctx, {
        action: "user.create",
        targetType: "user",
        targetId: created.id,
        details: { email: created.email, isSystemAdmin: created.isSystemAdmin },
      });
      return created;
    });
    return toUserOutput(user);
  });
