/**
 * users.update. System admins may change anything; anyone may change their own name and
 * password. A field the caller may not change is refused with 403, never silently ignored
 * (LiteLLM CVE-2026-47102 let a user raise their own role through such a field).
 */
import { forbidden } from "@gatehouse/core";
import { authedProcedure } from "../../trpc/init.ts";
import { updateUser } from "../../workflows/users/update.ts";
import { toUserOutput } from "./shared.ts";
import { ZUpdateUserInput, ZUpdateUserOutput } from "./update.schema.ts";

const SELF_EDITABLE = new Set(["userId", "name", "password", "currentPassword"]);

export const update = authedProcedure
  .input(ZUpdateUserInput)
  .output(ZUpdateUserOutput)
  .mutation(async ({ ctx, input }) => {
    const { actor } = ctx;
    const isSelf = actor.kind === "user" && actor.userId === input.userId;
    if (!actor.isSystemAdmin) {
      if (!isSelf) throw forbidden("Only system administrators can change other users");
      const refused = Object.keys(input).filter(
        (field) => !SELF_EDITABLE.has(field) && input[field as keyof typeof input] !== undefined,
      );
      if (refused.length > 0) {
        throw forbidden(`You may not change: ${refused.join(", ")}`);
      }
    }
    const user = await updateUser(ctx, input);
    return toUserOutput(user);
  });
