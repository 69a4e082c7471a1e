/**
 * users.update once authorized: checks the current password of a self-service password
 * change, then in one transaction locks the user (never leaving the platform without an
 * active system administrator), writes the change, ends the sessions it should end, blocks
 * or unblocks the keys of a disabled or enabled user and records the event, naming the
 * service tokens the change stops.
 */
import { conflict, DomainError, type Actor } from "@gatehouse/core";
import {
  emailTakenByOther,
  findPasswordHash,
  lockUserForAdminChange,
  mayRemoveAdmin,
  revokeUserSessions,
  setOwnerDisabledKeyBlocks,
  transaction,
  updateUserFields,
  type PublicUser,
  enqueueForEach,
} from "@gatehouse/db";
import type { z } from "zod";
import { hashPassword, verifyPassword } from "../../auth/password.ts";
import { serviceTokensStoppedByChange } from "../../auth/service-tokens.ts";
import { writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import type { ZUpdateUserInput } from "../../routers/users/update.schema.ts";

export type UpdateUserInput = z.infer<typeof ZUpdateUserInput>;

export async function updateUser(
  ctx: Context & { actor: Actor },
  input: UpdateUserInput,
): Promise<PublicUser> {
  const { actor } = ctx;
  const isSelf = actor.kind === "user" && actor.userId === input.userId;
  if (isSelf && input.password !== undefined) {
    const own = await findPasswordHash(ctx.db, input.userId);
    const ok =
      own !== null &&
      input.currentPassword !== undefined &&
      (await verifyPassword(own, input.currentPassword));
    if (!ok) {
      throw new DomainError("BAD_REQUEST", "The current password is required and must be right", {
        field: "currentPassword",
      });
    }
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
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
    if (input.email && (await emailTakenByOther(tx, input.email, input.userId)))
      throw conflict("A user with this email already exists", { field: "email" });

    const updated = await updateUserFields(tx, input.userId, {
      name: input.name,
      email: input.email,
      isSystemAdmin: input.isSystemAdmin,
      isActive: input.isActive,
      passwordHash,
    });

    // A disabled user or a changed password ends sessions at once. On a self-service
    // password change the caller's own session survives; every other one ends.
    let revokedSessions = 0;
    if (input.isActive === false) {
      revokedSessions = await revokeUserSessions(tx, input.userId, now);
    } else if (passwordHash) {
      const keep = isSelf && actor.kind === "user" ? actor.sessionId : undefined;
      revokedSessions = await revokeUserSessions(tx, input.userId, now, keep);
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
}
