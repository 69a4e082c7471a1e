/**
 * keys.revealSecret: the secret a scheduled rotation made, answered once (its mail carries
 * only a link here), then the right to reveal it is gone; audited. A mutation: it changes
 * that right. Whoever may manage the team's keys may (the owner, team admins).
 */
import { preconditionFailed } from "@gatehouse/core";
import { takeSecretReveal, transaction } from "@gatehouse/db";
import { writeAudit } from "../../audit/write.ts";
import { openSecretWithAny, openingKeys } from "../../secrets.ts";
import { keyProcedure } from "../../trpc/key-access.ts";
import { ZKeyRevealSecretInput, ZKeyRevealSecretOutput } from "./reveal-secret.schema.ts";

export const revealSecret = keyProcedure("manageKeys", ZKeyRevealSecretInput)
  .output(ZKeyRevealSecretOutput)
  .mutation(({ ctx, input }) =>
    transaction(ctx.db, async (tx) => {
      const pending = await takeSecretReveal(tx, input.keyId);
      if (!pending)
        throw preconditionFailed(
          "There is no secret to reveal: it was revealed already, or the key was not rotated by its policy",
        );
      const secret = openSecretWithAny(
        openingKeys(ctx.config),
        pending.secretSealed,
        pending.keyToken,
      );
      await writeAudit(tx, ctx, {
        action: "key.reveal_secret",
        targetType: "apiKey",
        targetId: input.keyId,
        organizationId: ctx.keyAccess.team.organizationId,
        details: { teamId: ctx.keyAccess.team.id },
      });
      return { secret, keyPrefix: `${secret.slice(0, 10)}…` };
    }),
  );
