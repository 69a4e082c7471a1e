/**
 * users.update. System admins may change anything; anyone may change their own name and
 * password. A field the caller may not change is refused with 403, never silently ignored
 * (LiteLLM CVE-2026-47102 let a user raise their own role through such a field).
 */
import { ZUpdateUserInput } from "./update.schema.ts";
import { conflict, DomainError, forbidden } from "@gatehouse/core";
import { hashPassword, verifyPassword } from "../../auth/password.ts";
import { serviceTokensStoppedByChange } from "../../auth/service-tokens.ts";
import { revokeUserSessions } from "../../auth/sessions.ts";
import {
  enqueueForEach,
  lockUserForAdminChange,
  mayRemoveAdmin,
  setOwnerDisabledKeyBlocks,
} from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { authedProcedure } from "../../trpc/init.ts";
import { ZUser } from "./shared.schema.ts";
import { toUserOutput, userPublicSelect } from "./shared.ts";

const SELF_EDITABLE = new Set(["userId", "name", "password", "currentPassword"]);

export const updateUser = authedProcedure
  .input(ZUpdateUserInput)
  .output(ZUser)
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

    if (isSelf && input.password !== undefined) {
      const own = await ctx.db.prisma.user.findUnique({
        where: { id: input.userId },
        select: { passwordHash: true },
      });
      const ok =
        own &&
        input.currentPassword !== undefined &&
        (await verifyPassword(own.passwordHash, input.currentPassword));
      if (!ok) {
        throw new DomainError("BAD_REQUEST", "The current password is required and must be right", {
          field: "currentPassword",
        });
      }
    }
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const now = ctx.clock.now();
    const user = await ctx.db.prisma.$transaction(async (tx) => {
      // Locked, and refused when it would leave no active system administrator (db).
      await lockUserForAdminChange(tx, input.userId, input);
      // Tokens this user created act with at most the user's rights: name those this
      // change stops, so the audit event says which services just lost access.
      const losesRights = mayRemoveAdmin(input);
      const stoppedServiceTokens = losesRights
        ? // Read before the update below: the stored facts are the "before".
          await serviceTokensStoppedByChange(tx, input.userId, (current) => ({
            before: current,
            after: {
              ...current,
              isActive: input.isActive ?? current.isActive,
              isSystemAdmin: input.isSystemAdmin ?? current.isSystemAdmin,
            },
          }))
        : [];
      if (input.email) {
        const taken = await tx.user.findFirst({
          where: { email: input.email, NOT: { id: input.userId } },
          select: { id: true },
        });
        if (taken) throw conflict("A user with this email already exists", { field: "email" });
      }

      const updated = await tx.user.update({
        where: { id: input.userId },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.email !== undefined ? { email: input.email } : {}),
          ...(input.isSystemAdmin !== undefined ? { isSystemAdmin: input.isSystemAdmin } : {}),
          ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
          ...(passwordHash ? { passwordHash } : {}),
        },
        select: userPublicSelect,
      });

      // A disabled user or a changed password ends sessions at once. On a self-service
      // password change the caller's own session survives; every other one ends.
      let revokedSessions = 0;
      if (input.isActive === false) {
        revokedSessions = await revokeUserSessions(tx, input.userId, now);
      } else if (passwordHash) {
        const keep = isSelf && actor.kind === "user" ? actor.sessionId : undefined;
        const result = await tx.session.updateMany({
          where: { userId: input.userId, revokedAt: null, ...(keep ? { NOT: { id: keep } } : {}) },
          data: { revokedAt: now },
        });
        revokedSessions = result.count;
      }

      // A disabled user's keys stop working on the proxies (reason `owner_disabled`, one per
      // key they created); enabling them lifts that reason only, so a key also blocked by
      // hand stays blocked. Set-based: one statement each, served by api_keys(creator_id).
      let ownerBlockedKeys = 0;
      if (input.isActive !== undefined) {
        ownerBlockedKeys = await setOwnerDisabledKeyBlocks(tx, input.userId, !input.isActive, now);
        if (ownerBlockedKeys > 0) {
          await enqueueForEach(tx, "litellm.syncKeyBlock", { createdBy: input.userId });
        }
      }

      await writeAudit(tx, ctx, {
        action: "user.update",
        targetType: "user",
        targetId: input.userId,
        details: {
          changed: Object.keys(input).filter(
            (field) =>
              field !== "userId" &&
              field !== "currentPassword" &&
              input[field as keyof typeof input] !== undefined,
          ),
          revokedSessions,
          ...(losesRights ? { stoppedServiceTokens } : {}),
          ...(ownerBlockedKeys > 0
            ? { [input.isActive ? "unblockedKeys" : "blockedKeys"]: ownerBlockedKeys }
            : {}),
        },
      });
      return updated;
    });
    ctx.jobs?.nudge();
    return toUserOutput(user);
  });
