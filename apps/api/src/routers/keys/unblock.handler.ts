/**
 * keys.unblock: lifts the key's `manual` reason, if placed at the caller's level or below
 * (workflows/keys/block.ts); other reasons stay.
 */
import { keyProcedure } from "../../trpc/key-access.ts";
import { setKeyManualBlock } from "../../workflows/keys/block.ts";
import { ZKeyBlockOutput, ZKeyUnblockInput } from "./unblock.schema.ts";

export const unblock = keyProcedure("blockKeys", ZKeyUnblockInput)
  .output(ZKeyBlockOutput)
  .mutation(({ ctx }) => setKeyManualBlock(ctx, null));
