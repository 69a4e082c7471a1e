import { z } from "zod";
import { zPage, ZPageInput } from "../shared.schema.ts";
import { ZOrganization } from "./shared.schema.ts";

export const ZOrgsListInput = ZPageInput.extend({ search: z.string().trim().max(200).optional() })
  .strict()
  .default({ page: 1, pageSize: 25 });

export const ZOrgsListOutput = zPage(ZOrganization);
