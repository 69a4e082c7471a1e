/**
 * keys.block: places the key's `manual` reason (workflows/keys/block.ts). Whoever may
 * block the team's keys may (core canBlockKeys).
 */
import { keyProcedure } from "../../trpc/key-access.ts";
import { setKeyManualBlock } from "../../workflows/keys/block.ts";
import { ZKeyBlockInput, ZKeyBlockOutput } from "./block.schema.ts";

export const block = keyProcedure("blockKeys", ZKeyBlockInput)
  .output(ZKeyBlockOutput)
  .mutation(({ ctx, input }) => setKeyManualBlock(ctx, { note: input.reason ?? null }));
