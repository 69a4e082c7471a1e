/**
 * keys.update: a key's name, own limits and/or expiry (workflows/keys/update.ts), within
 * the team's entitlement; whoever may manage the team's keys.
 */
import { keyProcedure } from "../../trpc/key-access.ts";
import { changeKey } from "../../workflows/keys/update.ts";
import { keyDetail } from "./detail.ts";
import { ZKeyUpdateInput, ZKeyUpdateOutput } from "./update.schema.ts";

export const update = keyProcedure("manageKeys", ZKeyUpdateInput)
  .output(ZKeyUpdateOutput)
  .mutation(async ({ ctx, input }) => {
    await changeKey(
      ctx,
      { name: input.name, limits: input.limits, expiresAt: input.expiresAt },
      "key.update",
    );
    return keyDetail(ctx, input.keyId);
  });
