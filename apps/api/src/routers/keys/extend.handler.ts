/**
 * keys.extend: a new expiry within the products' lifetime cap; lifts `key_expired` (and
 * pushes the new lifetime and the block state to the key's proxy).
 */
import { keyProcedure } from "../../trpc/key-access.ts";
import { changeKey } from "../../workflows/keys/update.ts";
import { keyDetail } from "./detail.ts";
import { ZKeyExtendInput, ZKeyExtendOutput } from "./extend.schema.ts";

export const extend = keyProcedure("manageKeys", ZKeyExtendInput)
  .output(ZKeyExtendOutput)
  .mutation(async ({ ctx, input }) => {
    await changeKey(ctx, { expiresAt: input.expiresAt }, "key.extend");
    return keyDetail(ctx, input.keyId);
  });
