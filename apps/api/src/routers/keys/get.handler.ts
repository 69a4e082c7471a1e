/** keys.get: one key with the limits in force and their sources, its budget and expiry. */
import { keyProcedure } from "../../trpc/key-access.ts";
import { keyDetail } from "./detail.ts";
import { ZKeyDetail, ZKeyGetInput } from "./get.schema.ts";

export const get = keyProcedure("viewKeys", ZKeyGetInput)
  .output(ZKeyDetail)
  .query(({ ctx, input }) => keyDetail(ctx, input.keyId));
