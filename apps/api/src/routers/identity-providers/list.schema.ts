import { z } from "zod";
import { ZId } from "../shared.schema.ts";
import { ZIdentityProvider } from "./shared.schema.ts";

export const ZIdentityProvidersListInput = z
  .strictObject({ organizationId: ZId.optional() })
  .default({});

export const ZIdentityProvidersListOutput = z.object({ items: z.array(ZIdentityProvider) });
