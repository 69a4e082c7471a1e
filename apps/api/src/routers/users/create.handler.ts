import { conflict } from "@gatehouse/core";
import { findUserIdByEmail, insertUser, transaction } from "@gatehouse/db";
import { ZCreateUserInput, ZCreateUserOutput } from "./create.schema.ts";
import { hashPassword } from "../../auth/password.ts";
import { writeAudit } from "../../audit/write.ts";
import { adminProcedure } from "../../trpc/init.ts";
import { toUserOutput } from "./shared.ts";

export const create = adminProcedure
  .input(ZCreateUserInput)
  .output(ZCreateUserOutput)
  .mutation(async ({ ctx, input }) => {
    const passwordHash = await hashPassword(input.password);
    const user = await transaction(ctx.db, async (tx) => {
      if (await findUserIdByEmail(tx, input.email))
        throw conflict("A user with this email already exists", { field: "email" });
      const created = await insertUser(tx, {
        email: input.email,
        name: input.name,
        passwordHash,
        isSystemAdmin: input.isSystemAdmin,
        createdAt: ctx.clock.now(),
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
