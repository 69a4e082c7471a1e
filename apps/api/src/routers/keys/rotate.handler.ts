/**
 * keys.rotate: a new secret for the key on its proxy while the previous one keeps working
 * for `overlapHours` (workflows/keys/rotate.ts). Whoever may manage the team's keys may.
 */
import { keyProcedure } from "../../trpc/key-access.ts";
import { rotateKey } from "../../workflows/keys/rotate.ts";
import { toIso } from "../shared.schema.ts";
import { ZKeyRotateInput, ZKeyRotateOutput } from "./rotate.schema.ts";

export const rotate = keyProcedure("manageKeys", ZKeyRotateInput)
  .output(ZKeyRotateOutput)
  .mutation(async ({ ctx, input }) => {
    const rotated = await rotateKey(ctx, ctx.keyAccess, input);
    return { ...rotated, retireAt: toIso(rotated.retireAt) };
  });
